/// Code to cloud as a picture, drawn on the server as SVG: columns (repository, commit,
/// workflow run, artifact, environment), each node once per column, and an edge for each step
/// a signature's provenance takes from one column to the next. Every label is escaped; a node
/// may link to a page of the UI.
struct TraceGraph {
    struct Node: Hashable {
        /// The whole value, the node's title.
        var label: String
        /// What the box shows, when not the label's end.
        var shown: String? = nil
        var href: String? = nil
    }

    static let columns = ["Repository", "Commit", "Workflow run", "Artifact", "Environment"]
    private(set) var nodes: [[Node]] = Array(repeating: [], count: columns.count)
    private var edges: Set<Edge> = []

    private struct Edge: Hashable {
        var column: Int
        var from: Int
        var to: Int
    }

    /// Adds a path through the columns; a nil step is drawn as "unknown" so the path stays whole.
    mutating func add(_ path: [Node?]) {
        var previous: Int?
        for (column, step) in path.prefix(Self.columns.count).enumerated() {
            let node = step ?? Node(label: "unknown", href: nil)
            let index: Int
            if let found = nodes[column].firstIndex(of: node) {
                index = found
            } else {
                nodes[column].append(node)
                index = nodes[column].count - 1
            }
            if let previous, column > 0 { edges.insert(Edge(column: column - 1, from: previous, to: index)) }
            previous = index
        }
    }

    static let nodeWidth = 180
    static let nodeHeight = 34
    static let columnGap = 40
    static let rowGap = 14
    static let top = 34

    private static func x(_ column: Int) -> Int { column * (nodeWidth + columnGap) + 4 }
    private static func y(_ row: Int) -> Int { top + row * (nodeHeight + rowGap) }

    /// The picture; `title` names it for assistive technology.
    func svg(title: String) -> String {
        let rows = max(1, nodes.map(\.count).max() ?? 1)
        let width = Self.x(Self.columns.count - 1) + Self.nodeWidth + 4
        let height = Self.y(rows) + 4
        var out =
            "<svg class=\"trace\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(width) \(height)\" width=\"\(width)\" height=\"\(height)\" role=\"img\" aria-label=\"\(HTMLPage.escape(title))\">"
        out += "<title>\(HTMLPage.escape(title))</title>"
        for (column, name) in Self.columns.enumerated() {
            out += "<text x=\"\(Self.x(column))\" y=\"18\" font-weight=\"600\" fill=\"#4a5366\" font-size=\"13\">\(HTMLPage.escape(name))</text>"
        }
        for edge in edges.sorted(by: { ($0.column, $0.from, $0.to) < ($1.column, $1.from, $1.to) }) {
            let x1 = Self.x(edge.column) + Self.nodeWidth
            let y1 = Self.y(edge.from) + Self.nodeHeight / 2
            let x2 = Self.x(edge.column + 1)
            let y2 = Self.y(edge.to) + Self.nodeHeight / 2
            let middle = (x1 + x2) / 2
            out += "<path d=\"M\(x1) \(y1) C\(middle) \(y1) \(middle) \(y2) \(x2) \(y2)\" fill=\"none\" stroke=\"#8a93a6\" stroke-width=\"1.5\"/>"
        }
        for (column, columnNodes) in nodes.enumerated() {
            for (row, node) in columnNodes.enumerated() {
                let text = node.shown ?? node.label
                let shown = text.count > 22 ? "…" + text.suffix(21) : text
                var box =
                    "<g><title>\(HTMLPage.escape(node.label))</title><rect x=\"\(Self.x(column))\" y=\"\(Self.y(row))\" width=\"\(Self.nodeWidth)\" height=\"\(Self.nodeHeight)\" rx=\"5\" fill=\"\(column == 3 ? "#eef3ff" : "#fff")\" stroke=\"#c3c9d4\"/>"
                box +=
                    "<text x=\"\(Self.x(column) + 8)\" y=\"\(Self.y(row) + 22)\" font-size=\"12\" font-family=\"ui-monospace,monospace\" fill=\"#1d2330\">\(HTMLPage.escape(shown))</text></g>"
                if let href = node.href { box = "<a href=\"\(HTMLPage.escape(href))\">\(box)</a>" }
                out += box
            }
        }
        return out + "</svg>"
    }
}
