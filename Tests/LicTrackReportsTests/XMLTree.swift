import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// An HTML page read by Foundation's XML parser: proof that it is well-formed, and its elements.
final class XMLTree: NSObject, XMLParserDelegate {
    struct Element {
        var name: String
        var attributes: [String: String]
        var text: String
        var path: [String]
    }

    private(set) var elements: [Element] = []
    private var stack: [Int] = []
    private(set) var error: String?

    /// Parses `text`; `nil` with the parser's message when it is not well-formed.
    static func parse(_ text: String) -> Result<XMLTree, ParseFailure> {
        let tree = XMLTree()
        let parser = XMLParser(data: Data(text.utf8))
        parser.delegate = tree
        if parser.parse() { return .success(tree) }
        let message = parser.parserError.map { "\($0)" } ?? tree.error ?? "unknown"
        return .failure(
            ParseFailure(message: "line \(parser.lineNumber), column \(parser.columnNumber): \(message)"))
    }

    struct ParseFailure: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        let path = stack.map { elements[$0].name }
        elements.append(Element(name: elementName, attributes: attributes, text: "", path: path))
        stack.append(elements.count - 1)
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
        stack.removeLast()
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        for index in stack { elements[index].text += string }
    }

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) {
        error = "\(parseError)"
    }

    /// The elements called `name`.
    func all(_ name: String) -> [Element] { elements.filter { $0.name == name } }
}
