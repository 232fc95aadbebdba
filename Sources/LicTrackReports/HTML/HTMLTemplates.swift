import Mustache

/// The HTML report's templates, as Swift string literals so that the binary needs no resource files.
///
/// They are Mustache (hummingbird-project/swift-mustache): every `{{value}}` is HTML-escaped, and
/// no template uses the unescaped forms `{{{…}}}` or `{{&…}}` (a test checks), so nothing from the
/// database can become markup. The markup is XHTML-compatible HTML5 (every element closed,
/// attributes quoted) so that an XML parser can check it. The style sheet contains no quotes or
/// angle brackets, so it reads the same to an HTML and an XML parser.
enum HTMLTemplates {
    /// The templates by name: `start`, `section`, `rows`, `end` and the `chart` partial.
    static let library: MustacheLibrary = {
        var library = MustacheLibrary()
        for (name, text) in [
            ("start", start), ("section", section), ("rows", rows), ("end", end), ("chart", chart),
        ] {
            do {
                try library.register(text, named: name)
            } catch {
                preconditionFailure("the built-in template \(name) does not parse: \(error)")
            }
        }
        return library
    }()

    /// Every template's text, for the test that none of them escapes the escaping.
    static let all = [start, section, rows, end, chart]

    static let start = """
        <!DOCTYPE html>
        <html xmlns="http://www.w3.org/1999/xhtml" lang="en">
        <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="generator" content="lictrack" />
        <title>{{title}} as of {{asOf}}</title>
        <style>
        \(css)
        </style>
        </head>
        <body>
        <header>
        <h1>{{title}}</h1>
        <dl class="facts">
        <dt>As of</dt><dd><time datetime="{{asOf}}">{{asOf}}</time></dd>
        <dt>Filters</dt><dd>{{filters}}</dd>
        {{#parameters}}<dt>{{label}}</dt><dd>{{value}}</dd>
        {{/parameters}}</dl>
        {{#notes}}<p class="note">{{.}}</p>
        {{/notes}}</header>
        <main>

        """

    static let section = """
        <section id="{{id}}" class="{{role}}" aria-labelledby="{{id}}-title">
        <h2 id="{{id}}-title">{{title}}</h2>
        {{#hasNote}}<p class="note">{{note}}</p>
        {{/hasNote}}{{#chart}}<figure class="chart" aria-labelledby="{{id}}-caption">
        <figcaption id="{{id}}-caption">{{title}}</figcaption>
        <div class="chart-body">
        {{> chart}}
        <table class="chart-data">
        <caption>{{title}}: the figures</caption>
        <thead><tr>{{#dataHeadings}}<th scope="col">{{.}}</th>{{/dataHeadings}}</tr></thead>
        <tbody>
        {{#dataRows}}<tr>{{#cells}}<td>{{.}}</td>{{/cells}}</tr>
        {{/dataRows}}{{^dataRows}}<tr><td colspan="{{dataColumnCount}}">No data.</td></tr>
        {{/dataRows}}</tbody>
        </table>
        </div>
        </figure>
        {{/chart}}<table class="data">
        <thead><tr>{{#columns}}<th scope="col" class="{{align}}">{{title}}</th>{{/columns}}</tr></thead>
        <tbody>

        """

    static let rows = """
        {{#rows}}<tr>{{#cells}}<td class="{{style}}">{{text}}</td>{{/cells}}</tr>
        {{/rows}}
        """

    static let end = """
        {{#sectionEnd}}{{#empty}}<tr><td class="empty" colspan="{{columnCount}}">{{emptyText}}</td></tr>
        {{/empty}}</tbody>
        </table>
        </section>
        {{/sectionEnd}}{{#documentEnd}}</main>
        <footer>lictrack report {{name}}, as of {{asOf}}</footer>
        </body>
        </html>
        {{/documentEnd}}
        """

    static let chart = """
        <svg xmlns="http://www.w3.org/2000/svg" class="chart-svg" width="{{width}}" height="{{height}}" \
        viewBox="0 0 {{width}} {{height}}" role="img" aria-labelledby="{{id}}-title {{id}}-desc">
        <title id="{{id}}-title">{{title}}</title>
        <desc id="{{id}}-desc">{{description}}</desc>
        <g class="grid">
        {{#yTicks}}<line x1="{{left}}" y1="{{y}}" x2="{{right}}" y2="{{y}}" />
        {{/yTicks}}</g>
        <g class="axes">
        <line x1="{{left}}" y1="{{top}}" x2="{{left}}" y2="{{bottom}}" />
        <line x1="{{left}}" y1="{{zeroY}}" x2="{{right}}" y2="{{zeroY}}" />
        </g>
        <g class="ticks">
        {{#yTicks}}<text x="{{labelX}}" y="{{y}}" text-anchor="end" dominant-baseline="middle">{{label}}</text>
        {{/yTicks}}{{#xTicks}}<text x="{{x}}" y="{{y}}" text-anchor="middle">{{label}}</text>
        {{/xTicks}}</g>
        <text class="axis-label" x="{{xLabelX}}" y="{{xLabelY}}" text-anchor="middle">{{xLabel}}</text>
        <text class="axis-label" x="{{yLabelX}}" y="{{yLabelY}}" text-anchor="middle" \
        transform="rotate(-90 {{yLabelX}} {{yLabelY}})">{{yLabel}}</text>
        <g class="series">
        {{#lines}}<path d="{{d}}" fill="none" stroke="{{colour}}" stroke-width="2" stroke-dasharray="{{dash}}">\
        <title>{{name}}</title></path>
        {{#markers}}<circle cx="{{cx}}" cy="{{cy}}" r="2.5" fill="{{colour}}"><title>{{text}}</title></circle>
        {{/markers}}{{/lines}}{{#bars}}<rect x="{{x}}" y="{{y}}" width="{{width}}" height="{{height}}" \
        fill="{{colour}}"><title>{{text}}</title></rect>
        {{/bars}}</g>
        {{#empty}}<text class="empty" x="{{xLabelX}}" y="{{yLabelY}}" text-anchor="middle">No data</text>
        {{/empty}}<g class="legend">
        {{#legend}}{{#line}}<line x1="{{x}}" y1="{{y}}" x2="{{x2}}" y2="{{y}}" stroke="{{colour}}" \
        stroke-width="3" stroke-dasharray="{{dash}}" />{{/line}}{{^line}}<rect x="{{x}}" y="{{boxY}}" \
        width="12" height="12" fill="{{colour}}" />{{/line}}<text x="{{textX}}" y="{{textY}}">{{name}}</text>
        {{/legend}}</g>
        </svg>
        """

    /// The style sheet: screen and A4 print, system fonts only. No quotes or angle brackets.
    static let css = """
        @page { size: A4; margin: 14mm 12mm 16mm 12mm; }
        :root { color-scheme: light; }
        body { font-family: system-ui, sans-serif; font-size: 14px; line-height: 1.4; color: #1a1a1a; \
        background: #ffffff; margin: 24px auto; max-width: 1180px; padding: 0 16px; }
        h1 { font-size: 24px; margin: 0 0 8px 0; }
        h2 { font-size: 18px; margin: 28px 0 8px 0; border-bottom: 1px solid #c8c8c8; padding-bottom: 4px; }
        dl.facts { display: grid; grid-template-columns: max-content auto; gap: 2px 16px; margin: 0 0 8px 0; }
        dl.facts dt { font-weight: 600; }
        dl.facts dd { margin: 0; }
        p.note { color: #444444; margin: 4px 0; }
        table { border-collapse: collapse; font-size: 12px; }
        table.data { width: 100%; }
        th, td { padding: 3px 6px; border-bottom: 1px solid #e2e2e2; vertical-align: top; text-align: left; }
        th { background: #f2f2f2; font-weight: 600; }
        .right { text-align: right; font-variant-numeric: tabular-nums; }
        td.good { color: #1b6e20; }
        td.warning { color: #8a5a00; font-weight: 600; }
        td.critical { color: #b00020; font-weight: 700; }
        td.empty { color: #666666; font-style: italic; }
        figure.chart { margin: 8px 0 16px 0; }
        figcaption { font-weight: 600; margin-bottom: 4px; }
        .chart-body { display: flex; flex-wrap: wrap; gap: 16px; align-items: flex-start; }
        svg.chart-svg { max-width: 100%; height: auto; font-family: system-ui, sans-serif; font-size: 11px; }
        svg .grid line { stroke: #e6e6e6; stroke-width: 1; }
        svg .axes line { stroke: #333333; stroke-width: 1; }
        svg .axis-label { font-size: 12px; font-weight: 600; }
        svg text.empty { fill: #666666; font-size: 14px; }
        table.chart-data { font-size: 11px; }
        table.chart-data td { text-align: right; font-variant-numeric: tabular-nums; }
        table.chart-data td:first-child { text-align: left; }
        table.chart-data caption { text-align: left; font-weight: 600; padding-bottom: 4px; }
        footer { margin-top: 24px; color: #666666; font-size: 11px; }
        @media print {
          body { margin: 0; max-width: none; padding: 0; font-size: 10pt; }
          table { font-size: 8pt; }
          thead { display: table-header-group; }
          tr, figure.chart { break-inside: avoid; }
          h2 { break-after: avoid; }
          svg.chart-svg { width: 120mm; }
        }
        """
}
