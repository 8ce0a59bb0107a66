/// What an HTML element means for text extraction.
enum HTMLTag: Sendable, Equatable {
    /// Text flows through it (`span`, `a`, `em`, unknown tags).
    case inline
    /// Starts and ends a paragraph (`p`, `div`, `section`, `blockquote`, …).
    case block
    case heading
    /// `ul`, `ol`, `dl`, `menu`: holds list items.
    case list(ordered: Bool)
    /// `li`: one line, with a marker (`- `, `1. `).
    case listItem
    /// `dt`, `dd`: one line each, no marker.
    case definition
    case table
    case row
    case cell
    /// `pre`, `textarea`-like: whitespace kept as it is.
    case preformatted
    case lineBreak
    /// Never text: scripts, styles, embedded objects, form controls, the `head`.
    case invisible
    /// Page furniture around the main text (`nav`, `aside`, `footer`, `form`, `header`, `dialog`):
    /// removed when extracting the main text, kept for `extract: all`.
    case chrome

    /// Tag names as libxml2's HTML parser reports them (lowercase).
    static let byName: [String: HTMLTag] = {
        var table: [String: HTMLTag] = [:]
        for name in ["div", "section", "article", "main", "p", "blockquote", "figure", "figcaption", "address",
                     "center", "details", "summary", "fieldset", "hgroup", "caption", "body", "html", "hr", "noframes"] {
            table[name] = .block
        }
        for name in ["h1", "h2", "h3", "h4", "h5", "h6"] { table[name] = .heading }
        table["ul"] = .list(ordered: false)
        table["menu"] = .list(ordered: false)
        table["dl"] = .list(ordered: false)
        table["ol"] = .list(ordered: true)
        table["li"] = .listItem
        table["dt"] = .definition
        table["dd"] = .definition
        table["table"] = .table
        table["tr"] = .row
        table["td"] = .cell
        table["th"] = .cell
        for name in ["pre", "listing", "xmp", "plaintext"] { table[name] = .preformatted }
        table["br"] = .lineBreak
        for name in ["script", "style", "noscript", "template", "svg", "math", "canvas", "iframe", "frame", "frameset",
                     "object", "embed", "applet", "head", "select", "option", "optgroup", "datalist", "button",
                     "input", "textarea", "audio", "video", "source", "track", "map", "area", "img", "picture",
                     "link", "meta", "title", "base", "param", "rp", "rt", "output", "progress", "meter"] {
            table[name] = .invisible
        }
        for name in ["nav", "aside", "footer", "form", "header", "dialog"] { table[name] = .chrome }
        return table
    }()

    /// Words in `class`/`id` values that mark page furniture (compared word by word, after splitting
    /// on anything but letters and digits: `site-nav` and `nav_bar` match, `canvas` does not).
    static let furnitureWords: Set<String> = [
        "nav", "navbar", "navigation", "menu", "menubar", "sidebar", "sphinxsidebar", "footer", "breadcrumb",
        "breadcrumbs", "cookie", "cookies", "share", "sharing", "social", "related", "advert", "advertisement", "ads",
        "banner", "newsletter", "subscribe", "popup", "modal", "toolbar", "pagination", "pager", "masthead",
        "skiplink", "topbar", "sidenav", "toc", "navheader", "navfooter",
    ]

    /// `role` values that mark page furniture.
    static let furnitureRoles: Set<String> = [
        "navigation", "banner", "contentinfo", "complementary", "search", "menu", "menubar", "toolbar", "dialog",
        "alertdialog", "tablist",
    ]

    var isBlockLike: Bool {
        switch self {
        case .inline, .lineBreak, .invisible: false
        default: true
        }
    }
}
