import Foundation
import Mustache
import Testing

@testable import LedgerWeb

/// A view model turned into dictionaries (`ViewModelTree`) renders exactly as the model itself, through everything the
/// templates use: nested structs, rows in sections, a nil optional whose name climbs to the enclosing object, empty
/// strings, booleans, numbers, enums, dictionaries, transforms and Foundation values kept as they are.
@Suite struct ViewModelTreeTests {
    enum Tone: String { case warn, calm }
    struct Cell { let text: String; let note: String?; let strong: Bool }
    struct Row { let id: Int64; let name: String; let cells: [Cell]; let tone: Tone; let link: String? }
    struct Crumb { let title: String }
    struct Period: CustomStringConvertible { let year: Int; let quarter: Int; var description: String { "\(year)年第\(quarter)季度" } }
    final class Layout { let title = "预警"; let user: String? = "鼓楼区住建局"; let crumbs = [Crumb(title: "首页"), Crumb(title: "预警")] }
    struct Page {
        let layout = Layout()
        let rows: [Row]
        let empty: [Row] = []
        let note: String?
        let search = ""
        let link = "/warnings?page=2"
        let counts: [String: Int] = ["open": 3]
        let day = Date(timeIntervalSince1970: 0)
        let total: Int
        let period = Period(year: 2024, quarter: 3)
    }

    static let template = """
        {{#layout}}<h1>{{title}}</h1>{{#user}}<b>{{.}}</b>{{/user}}{{#crumbs}}<i>{{title}}{{^last}}/{{/last}}</i>{{/crumbs}}{{/layout}}
        {{#rows}}<tr id="{{id}}" class="{{tone}}"><td>{{name}}</td>{{#cells}}<td>{{text}}{{#note}}（{{.}}）{{/note}}{{^note}}[{{link}}]{{/note}}\
        {{#strong}}!{{/strong}}</td>{{/cells}}{{#link}}<a href="{{.}}">{{name}}</a>{{/link}}{{^link}}{{search}}-{{total}}{{/link}}</tr>{{/rows}}
        {{^empty}}<p>空</p>{{/empty}}{{#note}}{{.}}{{/note}}{{^note}}没有说明{{/note}}{{^search}}未搜索{{/search}}
        {{counts.open}} {{count(rows)}} {{#first(rows)}}{{name}}{{/first(rows)}} {{day}} {{layout.crumbs.1.title}} {{period}}
        """

    @Test func aTreeRendersAsTheModelDoes() throws {
        let rows = [
            Row(id: 7, name: "永鸿花园", cells: [Cell(text: "逾期", note: "第3季度", strong: true), Cell(text: "无专户", note: nil, strong: false)],
                tone: .warn, link: "/estates/7"),
            Row(id: 9, name: "阳光新村", cells: [Cell(text: "正常", note: nil, strong: false)], tone: .calm, link: nil),
        ]
        let template = try MustacheTemplate(string: Self.template)
        for page in [Page(rows: rows, note: "说明", total: 2), Page(rows: [], note: nil, total: 0)] {
            let direct = template.render(page)
            let tree = try #require(ViewModelTree.make(page))
            #expect(tree is [String: Any], "the page became a dictionary")
            #expect(template.render(tree) == direct)
            #expect(direct.contains("阳光新村") || page.rows.isEmpty)
            #expect(direct.contains("2024年第3季度"), "a value with its own text keeps it")
        }
    }
}
