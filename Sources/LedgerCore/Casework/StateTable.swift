import Foundation

/// A kind's steps declared as data: each action, the statuses it may be taken from and the permission it needs
/// (`Role.permissions` says who holds which). Pages offer, and the core allows, exactly what the table says.
public struct StateTable<Status: Hashable & Sendable, Action: Hashable & Sendable>: Sendable {
    public struct Transition: Sendable {
        public let action: Action
        public let from: Set<Status>
        public let permission: Permission

        public init(_ action: Action, from: Set<Status>, needs permission: Permission) {
            self.action = action
            self.from = from
            self.permission = permission
        }
    }

    public let transitions: [Transition]

    public init(_ transitions: [Transition]) {
        self.transitions = transitions
    }

    private func transition(_ action: Action) -> Transition {
        guard let found = transitions.first(where: { $0.action == action }) else { preconditionFailure("\(action) is not in the state table") }
        return found
    }

    public func allowed(_ action: Action, from status: Status) -> Bool { transition(action).from.contains(status) }
    public func permission(_ action: Action) -> Permission { transition(action).permission }
    public func permitted(_ action: Action, for role: Role) -> Bool { role.permissions.contains(permission(action)) }

    /// The actions a role may take on a case in `status`, in the table's order.
    public func available(at status: Status, for role: Role) -> [Action] {
        transitions.filter { $0.from.contains(status) && role.permissions.contains($0.permission) }.map(\.action)
    }
}
