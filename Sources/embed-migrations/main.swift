// Build tool: writes a Swift file holding each SQL migration as a raw string literal.
//
// Usage: embed-migrations OUTPUT.swift FILE.sql...
import Foundation

let arguments = Array(CommandLine.arguments.dropFirst())
guard let output = arguments.first else {
    FileHandle.standardError.write(Data("usage: embed-migrations OUTPUT.swift FILE.sql...\n".utf8))
    exit(64)
}
let delimiter = "#####"
var source = """
    // Generated at build time by the EmbedMigrations plugin from Database/migrations. Do not edit.

    /// The SQL migrations in `Database/migrations`, by file name, in order.
    let embeddedMigrations: [(fileName: String, sql: String)] = [

    """
for path in arguments.dropFirst() {
    let text = try String(contentsOfFile: path, encoding: .utf8)
    if text.contains("\"\"\"" + delimiter) {
        FileHandle.standardError.write(Data("\(path): contains the embedding delimiter\n".utf8))
        exit(65)
    }
    let name = URL(fileURLWithPath: path).lastPathComponent
    source += "    (fileName: \"\(name)\", sql: \(delimiter)\"\"\"\n\(text)\n\"\"\"\(delimiter)),\n"
}
source += "]\n"
try source.write(toFile: output, atomically: true, encoding: .utf8)
