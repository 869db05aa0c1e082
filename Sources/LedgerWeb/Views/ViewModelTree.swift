import LedgerCore
import Mustache
import Synchronization

/// A page's view model as dictionaries and arrays, read by reflection once per render.
///
/// swift-mustache looks up each `{{name}}` by reflecting over the object in hand (`Mirror`), and a name that is not
/// there — an optional that is nil, a layout field asked for inside a row — climbs the context stack reflecting over
/// every enclosing object again. On a list of 30 complaints that was 73% of the server's time (issue #16 item 2,
/// `perf`). `[String: Any]` answers `MustacheParent.child(named:)` with one hash lookup, so the model is turned into
/// that once, field by field, before rendering: the project's own structs and classes become dictionaries of their
/// stored properties (what Mirror saw), arrays stay arrays, a nil optional is left out (as Mirror's lookup found
/// nothing, so the name still climbs the stack), everything else — strings, numbers, enums, Foundation and library
/// values — is kept as it is. What a template sees is unchanged; `ViewModelTreeTests` renders both ways and compares.
enum ViewModelTree {
    static func make(_ value: Any) -> Any? {
        switch value {
        case is String, is Bool, is Int, is Int64, is Double: return value
        case let optional as any OptionalBox: return optional.wrapped.flatMap(make)
        case let array as any ArrayBox: return array.elements.compactMap(make)
        case let dictionary as any StringKeyedBox: return dictionary.entries.compactMapValues(make)
        default: break
        }
        guard isOwn(type(of: value)) else { return value }
        let mirror = Mirror(reflecting: value)
        guard mirror.displayStyle == .struct || mirror.displayStyle == .class else { return value }
        var fields: [String: Any] = [:]
        for child in mirror.children {
            if let label = child.label, let field = make(child.value) { fields[label] = field }
        }
        return fields
    }

    /// Types declared in this project (the view models and the domain values they carry, and its tests' models), by module.
    private static func isOwn(_ type: Any.Type) -> Bool {
        let key = ObjectIdentifier(type)
        if let known = ownTypes.withLock({ $0[key] }) { return known }
        let name = String(reflecting: type)
        // A value with its own text (`Quarter`, `Day`) renders through its description, so it is kept as it is.
        let own = (name.hasPrefix("LedgerWeb.") || name.hasPrefix("LedgerCore.") || name.hasPrefix("LedgerWebTests."))
            && !(type is any CustomStringConvertible.Type)
        ownTypes.withLock { $0[key] = own }
        return own
    }

    private static let ownTypes = Mutex<[ObjectIdentifier: Bool]>([:])
}

protocol OptionalBox { var wrapped: Any? { get } }
extension Optional: OptionalBox { var wrapped: Any? { self } }

protocol ArrayBox { var elements: [Any] { get } }
extension Array: ArrayBox { var elements: [Any] { self } }

protocol StringKeyedBox { var entries: [String: Any] { get } }
extension Dictionary: StringKeyedBox where Key == String { var entries: [String: Any] { self } }
