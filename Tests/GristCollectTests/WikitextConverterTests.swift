import Testing
@testable import GristCollect

@Suite("WikitextConverter")
struct WikitextConverterTests {
    private func plain(_ wikitext: String) -> String {
        String(decoding: WikitextConverter().plainText(Array(wikitext.utf8)), as: UTF8.self)
    }

    @Test func linksKeepTheirText() {
        #expect(plain("A [[b]] and [[c|see c]] and [[d]]s and [[:Category:E]].") == "A b and see c and ds and Category:E.")
        #expect(plain("[http://x.org label here] and [http://bare.org] and http://kept.org") == "label here and  and http://kept.org"
            .replacingOccurrences(of: "  ", with: " "))
    }

    @Test func filesCategoriesAndInterlanguageGo() {
        #expect(plain("Text[[File:X.jpg|thumb|A [[nested|caption]]]] more.[[Category:Things]][[de:Ding]]") == "Text more.")
    }

    @Test func templatesReferencesTablesAndCommentsGo() {
        let text = """
            {{Infobox|name={{nested|x}}|a=b}}Lead<ref name="r">cite {{c}}</ref> sentence.<ref name="r"/><!-- note -->
            {| class="wikitable"
            |-
            | cell || {{x}}
            {| nested
            |}
            |}
            After {{{param|default}}} table.
            <references />
            """
        #expect(plain(text) == "Lead sentence.\n\nAfter table.")
    }

    @Test func headingsListsEmphasisAndEntities() {
        let text = """
            '''Bold''' and ''italic'' and '''''both'''''.

            == Section ==
            * item one
            ** nested
            # numbered
            ; term : definition
            ----
            __NOTOC__
            a&nbsp;b &amp; c &#8212; &#x41;
            """
        #expect(plain(text) == "Bold and italic and both.\n\nSection\n\nitem one\nnested\nnumbered\nterm : definition\n\na\u{A0}b & c — A")
    }

    @Test func verbatimAndFormattingTags() {
        #expect(plain("<nowiki>[[not a link]]</nowiki> <small>small</small> <math>x^2</math> <syntaxhighlight lang=\"py\">a = 1</syntaxhighlight>")
            == "[[not a link]] small a = 1")
        #expect(plain("line<br/>next") == "line\nnext")
    }

    @Test func unclosedMarkupIsText() {
        #expect(plain("a {{ b") == "a {{ b")
        #expect(plain("a [[ b") == "a [[ b")
        #expect(plain("x < y and 1 <2") == "x < y and 1 <2")
    }

    @Test func hostileNestingIsBounded() {
        let deep = String(repeating: "[[a|", count: 20_000) + "x" + String(repeating: "]]", count: 20_000)
        _ = plain(deep)
        let braces = String(repeating: "{{", count: 50_000)
        #expect(plain(braces).count == 100_000)
        let links = String(repeating: "[[a ", count: 50_000) + String(repeating: "<ref>", count: 20_000)
        #expect(plain(links).hasPrefix("[[a [[a"))
    }
}
