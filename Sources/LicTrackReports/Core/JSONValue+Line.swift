extension JSONValue {
    /// The document on one line, without spaces: one record of a JSON-lines file.
    public func renderedLine() -> String {
        var output = ""
        writeLine(to: &output)
        return output
    }

    private func writeLine(to output: inout String) {
        switch self {
        case .array(let values):
            output += "["
            for (index, value) in values.enumerated() {
                if index > 0 { output += "," }
                value.writeLine(to: &output)
            }
            output += "]"
        case .object(let members):
            output += "{"
            for (index, (key, value)) in members.enumerated() {
                if index > 0 { output += "," }
                JSONValue.writeString(key, to: &output)
                output += ":"
                value.writeLine(to: &output)
            }
            output += "}"
        default:
            write(to: &output, indent: 0)
        }
    }
}
