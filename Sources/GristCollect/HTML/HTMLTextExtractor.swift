import CLibXML2
import GristCore

/// The text of an HTML page, with its title and language.
struct ExtractedHTML: Sendable {
    var text: [UInt8]
    var title: String?
    var lang: String?
}

/// Turns a parsed HTML page into readable text: its main text (`extract: main`) or all of its
/// visible text (`extract: all`).
///
/// Two walks over libxml2's tree, never recursive (a page nested 10,000 deep costs no stack):
///
/// 1. **Measure.** Every element gets a record in document order: its tag, its parent, and how many
///    text bytes (not counting whitespace) and link text bytes it holds. Elements that never hold
///    readable text (`script`, `style`, `head`, form controls, …), hidden ones (`hidden`,
///    `aria-hidden="true"`, `display:none`) and, for the main text, page furniture (`nav`, `aside`,
///    `footer`, `header`, `form`, furniture roles such as `role="navigation"`) are cut with their
///    subtree. Elements whose `class`/`id` name furniture (`sidebar`, `breadcrumb`, `cookie`, …) are
///    cut too, unless they hold most of the page's text (a mislabelled wrapper).
/// 2. **Choose and write.** The main text is the largest `main`, `[role=main]` or `article` element
///    holding at least a quarter of the page's text, else the whole `body`. Inside it, link-dense
///    blocks are dropped: lists and tables whose text is mostly links (menus, tables of contents,
///    "see also" link farms) and short blocks that are mostly links ("next / previous"). Headings,
///    paragraphs, list items (`- `, `1. `), table rows (cells joined by ` | `) and preformatted
///    text are written as plain text (`BlockTextWriter`).
struct HTMLTextExtractor {
    let mode: HTMLExtraction

    /// Share of the page's text a `main`/`article` element needs to be taken as the main text.
    static let mainShare = 0.25
    /// A furniture-named element holding more than this share of the page's text is kept.
    static let protectedShare = 0.5
    /// Lists and tables with more link text than this share are navigation.
    static let listLinkDensity = 0.5
    /// Blocks shorter than `shortBlock` bytes with more link text than this share are navigation.
    static let blockLinkDensity = 0.66
    static let shortBlock = 400
    /// Any block with more link text than this share is navigation, whatever its length.
    static let containerLinkDensity = 0.8
    /// Main text shorter than this (bytes) means link-dense blocks were the content.
    static let minimumText = 200

    private struct Record {
        var tag: HTMLTag
        var parent: Int32
        /// Index after the last element of its subtree.
        var subtreeEnd: Int32 = 0
        /// Cut with its subtree in every mode (invisible, hidden) or in main mode (furniture).
        var cut = false
        /// `class`/`id` names furniture: cut unless it holds most of the text.
        var furnitureName = false
        var candidate = false
        var text: Int32 = 0
        var linkText: Int32 = 0
    }

    /// Extracts the text of `document` (a tree from `HTMLTree`).
    func extract(_ document: htmlDocPtr) -> ExtractedHTML {
        var result = ExtractedHTML(text: [], title: nil, lang: nil)
        guard let root = xmlDocGetRootElement(document) else { return result }
        result.lang = attribute(root, "lang").flatMap { $0.isEmpty ? nil : $0 }
        var names = TagNames()
        var records: [Record] = []
        records.reserveCapacity(1024)
        measure(root, names: &names, records: &records, result: &result)
        if records.isEmpty { return result }
        aggregate(&records)
        let start = chooseRoot(records)
        result.text = write(root, records: records, names: &names, from: start, dropLinkDense: mode == .main)
        // A page that is all links (a table of contents) keeps its links rather than nothing.
        if mode == .main, result.text.count < Self.minimumText, records[start].text > 2 * Self.minimumText {
            result.text = write(root, records: records, names: &names, from: start, dropLinkDense: false)
        }
        return result
    }

    // MARK: - Pass 1: measure

    private func measure(_ root: xmlNodePtr, names: inout TagNames, records: inout [Record],
                         result: inout ExtractedHTML) {
        var linkDepth = 0
        var articleDepth = 0
        var open: [Int32] = []  // record index of each open element, innermost last
        walk(root) { node, entering in
            if !entering {
                if let index = open.popLast() {
                    records[Int(index)].subtreeEnd = Int32(records.count)
                    let info = names.info(node.pointee.name)
                    if info.isLink { linkDepth -= 1 }
                    if info.isArticle || records[Int(index)].candidate { articleDepth -= 1 }
                }
                return false
            }
            switch node.pointee.type {
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                guard let parent = open.last else { return false }
                let count = Int32(clamping: Self.visibleCount(LibXML.bytes(node.pointee.content)))
                records[Int(parent)].text += count
                if linkDepth > 0 { records[Int(parent)].linkText += count }
                return false
            case XML_ELEMENT_NODE:
                break
            default:
                return false
            }
            let info = names.info(node.pointee.name)
            var record = Record(tag: info.tag, parent: open.last ?? -1)
            record.candidate = info.isArticle
            if info.tag == .invisible {
                record.cut = true
                if result.title == nil, info.holdsTitle { result.title = findTitle(node) }
            } else if info.tag == .chrome {
                // A `header` inside an article holds its title: only page headers are furniture.
                record.cut = mode == .main && !(info.isHeader && articleDepth > 0)
            }
            if !record.cut { inspectAttributes(node, into: &record) }
            let index = Int32(records.count)
            if record.cut { record.subtreeEnd = index + 1 }
            records.append(record)
            if record.cut { return false }
            open.append(index)
            if info.isLink { linkDepth += 1 }
            if record.candidate { articleDepth += 1 }
            return true
        }
    }

    /// Reads `hidden`, `aria-hidden`, `style`, `role`, `class` and `id`.
    private func inspectAttributes(_ node: xmlNodePtr, into record: inout Record) {
        var attribute = node.pointee.properties
        while let a = attribute {
            defer { attribute = a.pointee.next }
            let name = LibXML.bytes(a.pointee.name)
            guard name.count >= 2, name.count <= 11 else { continue }
            let value = a.pointee.children.map { LibXML.bytes($0.pointee.content) } ?? UnsafeBufferPointer(start: nil, count: 0)
            switch String(decoding: name, as: UTF8.self) {
            case "hidden":
                record.cut = true
            case "aria-hidden":
                if Self.lowercased(value) == "true" { record.cut = true }
            case "style":
                let style = Self.lowercased(value).filter { $0 != " " }
                if style.contains("display:none") || style.contains("visibility:hidden") { record.cut = true }
            case "role":
                let role = Self.lowercased(value)
                if role == "main" { record.candidate = true }
                if mode == .main, HTMLTag.furnitureRoles.contains(role) { record.cut = true }
            case "class", "id":
                if mode == .main, Self.namesFurniture(value) { record.furnitureName = true }
            default:
                break
            }
        }
    }

    /// Sums text up the tree and decides furniture-named elements; marks `main`/`article` candidates.
    private func aggregate(_ records: inout [Record]) {
        // Raw sums first, to know the page's total before deciding on furniture names.
        var raw = records.map { (text: $0.cut ? 0 : $0.text, link: $0.cut ? 0 : $0.linkText) }
        for index in records.indices.reversed() {
            let parent = Int(records[index].parent)
            if parent >= 0, !records[index].cut {
                raw[parent].text += raw[index].text
                raw[parent].link += raw[index].link
            }
        }
        let total = Double(max(raw[0].text, 1))
        for index in records.indices where records[index].furnitureName && !records[index].cut {
            if Double(raw[index].text) <= Self.protectedShare * total { records[index].cut = true }
        }
        // Final sums without the cut subtrees: a cut element's subtree never reaches its parent.
        for index in records.indices.reversed() {
            let parent = Int(records[index].parent)
            if parent >= 0, !records[index].cut {
                records[parent].text += records[index].text
                records[parent].linkText += records[index].linkText
            }
        }
    }

    private func chooseRoot(_ records: [Record]) -> Int {
        guard mode == .main else { return 0 }
        let total = Double(max(records[0].text, 1))
        var best = 0
        for index in records.indices where records[index].candidate && !isCut(index, records) {
            if Double(records[index].text) >= Self.mainShare * total,
               best == 0 || records[index].text > records[best].text {
                best = index
            }
        }
        return best
    }

    /// Whether the element or one of its ancestors was cut.
    private func isCut(_ index: Int, _ records: [Record]) -> Bool {
        var i = index
        while i >= 0 {
            if records[i].cut { return true }
            i = Int(records[i].parent)
        }
        return false
    }

    // MARK: - Pass 2: write

    private func write(_ root: xmlNodePtr, records: [Record], names: inout TagNames, from start: Int,
                       dropLinkDense: Bool) -> [UInt8] {
        var writer = BlockTextWriter(capacity: Int(records[0].text) + Int(records[0].text) / 4)
        var index = 0
        var writing = start == 0
        var preDepth = 0
        /// Per open list: ordered, next item number.
        var lists: [(ordered: Bool, next: Int)] = []
        var cellInRow = 0
        var open: [Int] = []
        walk(root) { node, entering in
            if node.pointee.type == XML_ELEMENT_NODE {
                if entering {
                    let mine = index
                    index += 1
                    let record = records[mine]
                    if record.cut {
                        index = Int(record.subtreeEnd)
                        return false
                    }
                    if !writing {
                        if mine == start {
                            writing = true
                        } else if mine < start, start < Int(record.subtreeEnd) {
                            open.append(mine)  // on the way to the main element
                            return true
                        } else {
                            index = Int(record.subtreeEnd)
                            return false
                        }
                    }
                    if dropLinkDense, mine != start, linkDense(record) {
                        index = Int(record.subtreeEnd)
                        return false
                    }
                    open.append(mine)
                    opening(record.tag, &writer, &lists, &cellInRow, &preDepth)
                    return true
                }
                guard let mine = open.popLast() else { return false }
                if writing {
                    closing(records[mine].tag, &writer, &lists, &preDepth)
                    if mine == start { writing = false }
                }
                return false
            }
            guard entering, writing else { return false }
            switch node.pointee.type {
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                let text = LibXML.bytes(node.pointee.content)
                if preDepth > 0 { writer.appendVerbatim(text) } else { writer.appendCollapsed(text) }
            default:
                break
            }
            return false
        }
        return writer.finish()
    }

    private func linkDense(_ record: Record) -> Bool {
        guard record.text > 0 else { return false }
        let density = Double(record.linkText) / Double(record.text)
        switch record.tag {
        case .list, .table:
            return density > Self.listLinkDensity
        case .block, .cell, .row:
            return density > Self.containerLinkDensity
                || (record.text < Self.shortBlock && density > Self.blockLinkDensity)
        default:
            return false
        }
    }

    private func opening(_ tag: HTMLTag, _ writer: inout BlockTextWriter, _ lists: inout [(ordered: Bool, next: Int)],
                         _ cellInRow: inout Int, _ preDepth: inout Int) {
        switch tag {
        case .block, .heading, .table:
            writer.lineBreak(2)
        case .list(let ordered):
            writer.lineBreak(lists.isEmpty ? 2 : 1)
            lists.append((ordered, 1))
        case .listItem:
            writer.lineBreak(1)
            if var list = lists.popLast() {
                let indent = [UInt8](repeating: 0x20, count: 2 * lists.count)
                writer.prefix(indent + (list.ordered ? Array("\(list.next). ".utf8) : Array("- ".utf8)))
                list.next += 1
                lists.append(list)
            }
        case .row:
            writer.lineBreak(1)
            cellInRow = 0
        case .definition:
            writer.lineBreak(1)
        case .cell:
            if cellInRow > 0 { writer.prefix(Array(" | ".utf8)) }
            cellInRow += 1
        case .preformatted:
            writer.lineBreak(2)
            preDepth += 1
        case .lineBreak:
            writer.lineBreak(1)
        case .inline, .invisible, .chrome:
            break
        }
    }

    private func closing(_ tag: HTMLTag, _ writer: inout BlockTextWriter, _ lists: inout [(ordered: Bool, next: Int)],
                         _ preDepth: inout Int) {
        switch tag {
        case .block, .heading, .table:
            writer.lineBreak(2)
        case .list:
            _ = lists.popLast()
            writer.lineBreak(lists.isEmpty ? 2 : 1)
        case .listItem, .row, .definition:
            writer.clearPrefix()
            writer.lineBreak(1)
        case .preformatted:
            preDepth -= 1
            writer.lineBreak(2)
        case .chrome:
            writer.lineBreak(2)  // kept furniture (`extract: all`) is a block of its own
        case .inline, .invisible, .cell, .lineBreak:
            break
        }
    }

    // MARK: - Tree helpers

    /// Visits the subtree under `root` in document order, without recursion. `visit(node, true)`
    /// returns whether to enter the node; every entered node gets `visit(node, false)` after its
    /// children.
    private func walk(_ root: xmlNodePtr, _ visit: (xmlNodePtr, Bool) -> Bool) {
        guard visit(root, true) else { return }
        var node = root.pointee.children
        var parent = root
        while true {
            if let current = node {
                if visit(current, true) {
                    if let child = current.pointee.children {
                        parent = current
                        node = child
                        continue
                    }
                    _ = visit(current, false)
                }
                node = current.pointee.next
            } else {
                _ = visit(parent, false)
                guard parent != root, let up = parent.pointee.parent else { return }
                node = parent.pointee.next
                parent = up
            }
        }
    }

    private func findTitle(_ node: xmlNodePtr) -> String? {
        let name = String(decoding: LibXML.bytes(node.pointee.name), as: UTF8.self)
        if name == "title" { return collapsedText(node) }
        guard name == "head" else { return nil }
        var child = node.pointee.children
        while let c = child {
            if c.pointee.type == XML_ELEMENT_NODE,
               String(decoding: LibXML.bytes(c.pointee.name), as: UTF8.self) == "title" {
                return collapsedText(c)
            }
            child = c.pointee.next
        }
        return nil
    }

    private func collapsedText(_ node: xmlNodePtr) -> String? {
        var writer = BlockTextWriter()
        var child = node.pointee.children
        while let c = child {
            if c.pointee.type == XML_TEXT_NODE { writer.appendCollapsed(LibXML.bytes(c.pointee.content)) }
            child = c.pointee.next
        }
        let text = writer.finish()
        return text.isEmpty ? nil : String(decoding: text, as: UTF8.self)
    }

    private func attribute(_ node: xmlNodePtr, _ name: String) -> String? {
        var attribute = node.pointee.properties
        while let a = attribute {
            if String(decoding: LibXML.bytes(a.pointee.name), as: UTF8.self) == name {
                let value = a.pointee.children.map { LibXML.bytes($0.pointee.content) }
                return value.map { String(decoding: $0, as: UTF8.self).trimmingSpaces() }
            }
            attribute = a.pointee.next
        }
        return nil
    }

    // MARK: - Bytes

    /// Bytes that are not HTML whitespace.
    private static func visibleCount(_ text: UnsafeBufferPointer<UInt8>) -> Int {
        var count = 0
        for b in text where !BlockTextWriter.isSpace(b) { count += 1 }
        return count
    }

    private static func lowercased(_ value: UnsafeBufferPointer<UInt8>) -> String {
        String(decoding: value.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }, as: UTF8.self)
            .trimmingSpaces()
    }

    /// Whether a `class` or `id` value holds a furniture word.
    private static func namesFurniture(_ value: UnsafeBufferPointer<UInt8>) -> Bool {
        var word: [UInt8] = []
        for b in value {
            let lower = b >= 0x41 && b <= 0x5A ? b | 0x20 : b
            if (lower >= 0x61 && lower <= 0x7A) || (lower >= 0x30 && lower <= 0x39) {
                word.append(lower)
            } else {
                if !word.isEmpty, HTMLTag.furnitureWords.contains(String(decoding: word, as: UTF8.self)) { return true }
                word.removeAll(keepingCapacity: true)
            }
        }
        return !word.isEmpty && HTMLTag.furnitureWords.contains(String(decoding: word, as: UTF8.self))
    }
}

/// What extraction needs to know about a tag name.
struct TagInfo {
    var tag: HTMLTag
    /// `a`: its text is link text.
    var isLink = false
    /// `main` or `article`: a candidate for the main text.
    var isArticle = false
    var isHeader = false
    /// `head` or `title`.
    var holdsTitle = false
}

/// Tag lookups by libxml2 name pointer: the parser interns names in its dictionary, so each
/// distinct tag of a page is looked up by string once.
struct TagNames {
    private var cache: [UnsafeRawPointer: TagInfo] = [:]

    mutating func info(_ name: UnsafePointer<xmlChar>?) -> TagInfo {
        guard let name else { return TagInfo(tag: .inline) }
        let key = UnsafeRawPointer(name)
        if let known = cache[key] { return known }
        let text = String(decoding: LibXML.bytes(name), as: UTF8.self)
        var info = TagInfo(tag: HTMLTag.byName[text] ?? .inline)
        info.isLink = text == "a"
        info.isArticle = text == "main" || text == "article"
        info.isHeader = text == "header"
        info.holdsTitle = text == "head" || text == "title"
        cache[key] = info
        return info
    }
}

extension String {
    /// Without leading and trailing ASCII whitespace.
    func trimmingSpaces() -> String {
        let bytes = Array(utf8)
        guard let first = bytes.firstIndex(where: { !BlockTextWriter.isSpace($0) }),
              let last = bytes.lastIndex(where: { !BlockTextWriter.isSpace($0) }) else { return "" }
        return String(decoding: bytes[first...last], as: UTF8.self)
    }
}
