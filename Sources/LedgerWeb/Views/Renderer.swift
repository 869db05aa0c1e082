import Foundation
import Hummingbird
import LedgerCore
import Mustache

/// Renders Mustache templates (loaded once at start-up) into HTML responses.
public struct Renderer: Sendable {
    let library: MustacheLibrary

    static var templatesDirectory: String {
        Bundle.module.url(forResource: "Templates", withExtension: nil)!.path
    }

    static var publicDirectory: String {
        Bundle.module.url(forResource: "Public", withExtension: nil)!.path
    }

    public static func load() async throws -> Renderer {
        Renderer(library: try await MustacheLibrary(directory: templatesDirectory))
    }

    /// Renders `template` with `model`; a missing template is a programming error caught by the tests.
    func render(_ template: String, _ model: Any, status: HTTPResponse.Status = .ok) -> Response {
        guard let html = library.render(model, withTemplate: template) else {
            preconditionFailure("missing template \(template)")
        }
        return Self.html(html, status: status)
    }

    static func html(_ html: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status,
            headers: [.contentType: "text/html; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: html))
        )
    }
}
