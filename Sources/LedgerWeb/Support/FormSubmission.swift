import Foundation
import Hummingbird
import LedgerCore

/// Runs a form submission; field errors, and refusals about the input (invalid, conflict), go back to the form
/// with each message beside its field instead of to the error page.
func submitting(_ submit: () async throws -> Response, reshow: (FieldErrors) async throws -> Response) async throws -> Response {
    do {
        return try await submit()
    } catch let errors as FieldErrors {
        return try await reshow(errors)
    } catch let error as LedgerError where error.kind == .invalid || error.kind == .conflict {
        var errors = FieldErrors()
        errors.add(error)
        return try await reshow(errors)
    }
}
