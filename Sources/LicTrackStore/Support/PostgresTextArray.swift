import Postgres

/// A list of strings sent as one `text[]` parameter (`$1::text[]`), in array-literal form.
struct PostgresTextArray: PostgresEncodable {
    var elements: [String]

    init(_ elements: [String]) {
        self.elements = elements
    }

    var postgresText: String {
        let quoted = elements.map { element in
            var escaped = ""
            for character in element {
                if character == "\\" || character == "\"" { escaped.append("\\") }
                escaped.append(character)
            }
            return "\"" + escaped + "\""
        }
        return "{" + quoted.joined(separator: ",") + "}"
    }
}
