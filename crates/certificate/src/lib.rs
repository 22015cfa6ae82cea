//! Printable documents made on the device, offline: a circle student's certificate of
//! participation and the circle leaflet. One A4 page each, in the reader's language, as tagged PDF
//! with real text, a title and a language, so screen readers and text extraction read them. The
//! text is set in DejaVu Sans, embedded as a subset of the glyphs the page uses, so every name
//! prints exactly as written ("Şeyma Yılmaz", "Zoë Łukasiewicz", "Nguyễn Thị Hồng").

use std::collections::BTreeMap;
use std::sync::LazyLock;

use chrono::NaiveDate;
use pdf_writer::types::{CidFontType, FontFlags, StructRole, SystemInfo, UnicodeCmap};
use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str, TextStr};
use subsetter::GlyphRemapper;

use pm_domain::circle::LEAFLET_SECTIONS;
use pm_domain::i18n::{format_date, t, tf};
use pm_domain::model::Language;

const A4: (f32, f32) = (595.0, 842.0);
const MARGIN: f32 = 72.0;

/// What a certificate of participation says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Certificate {
    pub language: Language,
    pub student: String,
    pub circle: String,
    pub school: String,
    pub organisation: String,
    pub teacher: String,
    /// The sessions she attended.
    pub dates: Vec<NaiveDate>,
    pub issued: NaiveDate,
}

/// The certificate as a one-page A4 PDF.
pub fn certificate(c: &Certificate) -> Vec<u8> {
    let lang = c.language;
    let mut page = Page::new(&t(lang, "certificate.title"), lang);
    page.border = true;
    page.gap(40.0);
    page.block(
        Role::Heading,
        Style::title(),
        Align::Center,
        &t(lang, "certificate.title"),
    );
    page.gap(24.0);
    page.block(
        Role::Text,
        Style::body(),
        Align::Center,
        &t(lang, "certificate.awarded_to"),
    );
    page.gap(8.0);
    page.block(Role::Text, Style::name(), Align::Center, &c.student);
    page.gap(16.0);
    let took_part = tf(
        lang,
        "certificate.took_part",
        &[("circle", &c.circle), ("school", &c.school)],
    );
    page.block(Role::Text, Style::body(), Align::Center, &took_part);
    page.gap(20.0);
    page.block(
        Role::Text,
        Style::bold(),
        Align::Center,
        &t(lang, "certificate.dates"),
    );
    for date in &c.dates {
        page.block(
            Role::Text,
            Style::body(),
            Align::Center,
            &format_date(lang, *date),
        );
    }
    page.gap(20.0);
    let about = tf(
        lang,
        "certificate.about",
        &[("organisation", &c.organisation)],
    );
    page.block(Role::Text, Style::body(), Align::Center, &about);
    page.gap(36.0);
    let signed = tf(
        lang,
        "certificate.signed",
        &[
            ("organisation", &c.organisation),
            ("teacher", &c.teacher),
            ("school", &c.school),
        ],
    );
    page.block(Role::Text, Style::body(), Align::Center, &signed);
    page.gap(8.0);
    let issued = tf(
        lang,
        "certificate.issued",
        &[("date", &format_date(lang, c.issued))],
    );
    page.block(Role::Text, Style::small(), Align::Center, &issued);
    page.finish()
}

/// The leaflet for students about what a Mentoring Circle is, as a one-page A4 PDF.
pub fn leaflet(language: Language) -> Vec<u8> {
    let mut page = Page::new(&t(language, "leaflet.title"), language);
    page.block(
        Role::Heading,
        Style::title(),
        Align::Left,
        &t(language, "leaflet.title"),
    );
    page.gap(10.0);
    for (heading, body) in LEAFLET_SECTIONS {
        page.gap(10.0);
        page.block(
            Role::Heading2,
            Style::bold(),
            Align::Left,
            &t(language, heading),
        );
        page.gap(2.0);
        page.block(Role::Text, Style::body(), Align::Left, &t(language, body));
    }
    page.finish()
}

// -- A small page layout: blocks of wrapped text, top to bottom -------------------------------

#[derive(Clone, Copy, PartialEq)]
enum Role {
    Heading,
    Heading2,
    Text,
}

#[derive(Clone, Copy, PartialEq)]
enum Align {
    Left,
    Center,
}

#[derive(Clone, Copy)]
struct Style {
    size: f32,
    bold: bool,
}

impl Style {
    fn title() -> Style {
        Style {
            size: 26.0,
            bold: true,
        }
    }
    fn name() -> Style {
        Style {
            size: 22.0,
            bold: true,
        }
    }
    fn bold() -> Style {
        Style {
            size: 12.0,
            bold: true,
        }
    }
    fn body() -> Style {
        Style {
            size: 12.0,
            bold: false,
        }
    }
    fn small() -> Style {
        Style {
            size: 10.0,
            bold: false,
        }
    }
    fn font(self) -> &'static Font {
        if self.bold { &BOLD } else { &REGULAR }
    }
}

struct Line {
    x: f32,
    y: f32,
    style: Style,
    text: String,
}

struct Block {
    role: Role,
    lines: Vec<Line>,
}

struct Page {
    title: String,
    language: Language,
    border: bool,
    y: f32,
    blocks: Vec<Block>,
}

impl Page {
    fn new(title: &str, language: Language) -> Page {
        Page {
            title: title.to_owned(),
            language,
            border: false,
            y: A4.1 - MARGIN,
            blocks: Vec::new(),
        }
    }

    fn gap(&mut self, points: f32) {
        self.y -= points;
    }

    fn block(&mut self, role: Role, style: Style, align: Align, text: &str) {
        let width = A4.0 - 2.0 * MARGIN;
        let mut lines = Vec::new();
        for paragraph in text.split('\n') {
            for line in wrap(paragraph, style, width) {
                self.y -= style.size * 1.35;
                let x = match align {
                    Align::Left => MARGIN,
                    Align::Center => (A4.0 - text_width(&line, style)) / 2.0,
                };
                lines.push(Line {
                    x,
                    y: self.y,
                    style,
                    text: line,
                });
            }
        }
        self.blocks.push(Block { role, lines });
    }

    fn finish(self) -> Vec<u8> {
        let mut pdf = Pdf::new();
        let catalog = Ref::new(1);
        let pages = Ref::new(2);
        let page = Ref::new(3);
        let regular = Ref::new(4);
        let bold = Ref::new(5);
        let content_id = Ref::new(6);
        let info = Ref::new(7);
        let parents = Ref::new(8);
        let document = Ref::new(9);
        let first_block = 10;
        let block_ref = |i: usize| Ref::new(first_block + i as i32);
        // The fonts' other objects come after the blocks.
        let mut next_ref = block_ref(self.blocks.len());
        let lang = match self.language {
            Language::Nl => "nl-NL",
            Language::En => "en-GB",
        };

        {
            let mut c = pdf.catalog(catalog);
            c.pages(pages);
            c.lang(TextStr(lang));
            c.mark_info().marked(true);
            c.viewer_preferences().display_doc_title(true);
            let mut root = c.struct_tree_root();
            root.child(document);
            root.parent_tree().nums().insert(0, parents);
            root.parent_tree_next_key(1);
        }
        pdf.pages(pages).kids([page]).count(1);
        {
            let mut p = pdf.page(page);
            p.media_box(Rect::new(0.0, 0.0, A4.0, A4.1));
            p.parent(pages);
            p.contents(content_id);
            p.struct_parents(0);
            let mut resources = p.resources();
            let mut fonts = resources.fonts();
            fonts.pair(Name(b"F1"), regular);
            fonts.pair(Name(b"F2"), bold);
        }
        pdf.document_info(info)
            .title(TextStr(&self.title))
            .creator(TextStr("Peer Mentoring"));

        let mut regular_glyphs = Subset::new(&REGULAR);
        let mut bold_glyphs = Subset::new(&BOLD);
        let mut content = Content::new();
        if self.border {
            content.begin_marked_content(Name(b"Artifact"));
            content.set_stroke_rgb(0.36, 0.22, 0.55);
            content.set_line_width(3.0);
            content.rect(36.0, 36.0, A4.0 - 72.0, A4.1 - 72.0);
            content.stroke();
            content.set_line_width(0.8);
            content.rect(46.0, 46.0, A4.0 - 92.0, A4.1 - 92.0);
            content.stroke();
            content.end_marked_content();
        }
        for (mcid, block) in self.blocks.iter().enumerate() {
            let tag = match block.role {
                Role::Heading => Name(b"H1"),
                Role::Heading2 => Name(b"H2"),
                Role::Text => Name(b"P"),
            };
            content
                .begin_marked_content_with_properties(tag)
                .properties()
                .identify(mcid as i32);
            for line in &block.lines {
                let (font, glyphs) = if line.style.bold {
                    (Name(b"F2"), &mut bold_glyphs)
                } else {
                    (Name(b"F1"), &mut regular_glyphs)
                };
                content.begin_text();
                content.set_font(font, line.style.size);
                content.next_line(line.x, line.y);
                content.show(Str(&glyphs.encode(&line.text)));
                content.end_text();
            }
            content.end_marked_content();
        }
        pdf.stream(content_id, &content.finish());
        regular_glyphs.write(&mut pdf, regular, &mut next_ref);
        bold_glyphs.write(&mut pdf, bold, &mut next_ref);

        pdf.indirect(parents)
            .array()
            .items((0..self.blocks.len()).map(block_ref));
        {
            let mut doc = pdf.struct_element(document);
            doc.kind(StructRole::Document);
            doc.parent(Ref::new(1));
            doc.children().items((0..self.blocks.len()).map(block_ref));
        }
        for (mcid, block) in self.blocks.iter().enumerate() {
            let mut element = pdf.struct_element(block_ref(mcid));
            element.kind(match block.role {
                Role::Heading => StructRole::H1,
                Role::Heading2 => StructRole::H2,
                Role::Text => StructRole::P,
            });
            element.parent(document);
            element.page(page);
            element
                .marked_content_child()
                .marked_content_id(mcid as i32);
            element.finish();
        }
        pdf.finish()
    }
}

/// Splits a paragraph into lines that fit `width`.
fn wrap(paragraph: &str, style: Style, width: f32) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in paragraph.split_whitespace() {
        let candidate = if line.is_empty() {
            word.to_owned()
        } else {
            format!("{line} {word}")
        };
        if text_width(&candidate, style) > width && !line.is_empty() {
            lines.push(std::mem::replace(&mut line, word.to_owned()));
        } else {
            line = candidate;
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// The width of `text` in points, in the style's font and size.
fn text_width(text: &str, style: Style) -> f32 {
    let font = style.font();
    let units: f32 = text.chars().map(|c| font.advance(font.glyph(c))).sum();
    units / 1000.0 * style.size
}

// -- The embedded font: DejaVu Sans, subsetted per page -----------------------------------------

/// DejaVu Sans and DejaVu Sans Bold 2.37 (Debian's fonts-dejavu-core; licence in
/// `fonts/LICENSE-DejaVu.txt`): Latin with its extensions, Vietnamese included.
static REGULAR: LazyLock<Font> =
    LazyLock::new(|| Font::new("DejaVuSans", include_bytes!("../fonts/DejaVuSans.ttf")));
static BOLD: LazyLock<Font> = LazyLock::new(|| {
    Font::new(
        "DejaVuSans-Bold",
        include_bytes!("../fonts/DejaVuSans-Bold.ttf"),
    )
});

/// The character collection of fonts addressed by glyph id (Identity-H).
const IDENTITY: SystemInfo<'static> = SystemInfo {
    registry: Str(b"Adobe"),
    ordering: Str(b"Identity"),
    supplement: 0,
};

/// A TrueType font built into the crate.
struct Font {
    /// Its PostScript name.
    name: &'static str,
    data: &'static [u8],
    face: ttf_parser::Face<'static>,
}

impl Font {
    fn new(name: &'static str, data: &'static [u8]) -> Font {
        let face = ttf_parser::Face::parse(data, 0).expect("the embedded DejaVu font parses");
        Font { name, data, face }
    }

    /// The font's glyph for `c`, or its `.notdef` glyph (0) if it has none.
    fn glyph(&self, c: char) -> u16 {
        self.face.glyph_index(c).map_or(0, |glyph| glyph.0)
    }

    /// A glyph's advance width in thousandths of the font size, as PDF measures glyphs.
    fn advance(&self, glyph: u16) -> f32 {
        let advance = self
            .face
            .glyph_hor_advance(ttf_parser::GlyphId(glyph))
            .unwrap_or(0);
        self.scale(advance.into())
    }

    /// Font units in thousandths of the font size.
    fn scale(&self, units: i32) -> f32 {
        units as f32 * 1000.0 / f32::from(self.face.units_per_em())
    }
}

/// The glyphs a page sets in one font: the subset of the font embedded in the PDF.
struct Subset {
    font: &'static Font,
    /// From the font's glyph ids to the subset's, which the page's text uses.
    glyphs: GlyphRemapper,
    /// The character each glyph of the subset stands for, for text extraction.
    chars: BTreeMap<u16, char>,
}

impl Subset {
    fn new(font: &'static Font) -> Subset {
        Subset {
            font,
            glyphs: GlyphRemapper::new(),
            chars: BTreeMap::new(),
        }
    }

    /// `text` as the subset's glyph ids, two bytes each (big-endian), as Identity-H reads them.
    fn encode(&mut self, text: &str) -> Vec<u8> {
        let mut bytes = Vec::with_capacity(2 * text.len());
        for c in text.chars() {
            let glyph = self.font.glyph(c);
            let id = self.glyphs.remap(glyph);
            if glyph != 0 {
                self.chars.entry(id).or_insert(c);
            }
            bytes.extend(id.to_be_bytes());
        }
        bytes
    }

    /// Writes the subset as the Type0 font `id` (CIDFontType2, glyph ids as CIDs), taking the ids
    /// of its other objects from `next`.
    fn write(&self, pdf: &mut Pdf, id: Ref, next: &mut Ref) {
        let descendant = next.bump();
        let descriptor = next.bump();
        let file = next.bump();
        let to_unicode = next.bump();
        let font = self.font;
        let face = &font.face;
        let data = subsetter::subset(font.data, 0, &self.glyphs)
            .expect("the embedded DejaVu font can be subsetted");
        let base_name = format!("{}+{}", self.tag(), font.name);
        let base_font = Name(base_name.as_bytes());

        pdf.type0_font(id)
            .base_font(base_font)
            .encoding_predefined(Name(b"Identity-H"))
            .descendant_font(descendant)
            .to_unicode(to_unicode);

        let mut cid_font = pdf.cid_font(descendant);
        cid_font
            .subtype(CidFontType::Type2)
            .base_font(base_font)
            .system_info(IDENTITY)
            .font_descriptor(descriptor)
            .cid_to_gid_map_predefined(Name(b"Identity"));
        // The subset's glyphs in order of their new ids, so the array starts at 0.
        cid_font.widths().consecutive(
            0,
            self.glyphs.remapped_gids().map(|glyph| font.advance(glyph)),
        );
        cid_font.finish();

        let bbox = face.global_bounding_box();
        pdf.font_descriptor(descriptor)
            .name(base_font)
            .flags(FontFlags::SYMBOLIC)
            .bbox(Rect::new(
                font.scale(bbox.x_min.into()),
                font.scale(bbox.y_min.into()),
                font.scale(bbox.x_max.into()),
                font.scale(bbox.y_max.into()),
            ))
            .italic_angle(face.italic_angle())
            .ascent(font.scale(face.ascender().into()))
            .descent(font.scale(face.descender().into()))
            .cap_height(font.scale(face.capital_height().unwrap_or(face.ascender()).into()))
            // An estimate from the weight class: PDF wants a stem width, fonts do not give one.
            .stem_v(10.0 + 0.244 * (f32::from(face.weight().to_number()) - 50.0))
            .font_file2(file);
        pdf.stream(file, &data)
            .pair(Name(b"Length1"), data.len() as i32);

        let mut cmap = UnicodeCmap::<u16>::new(Name(b"Custom"), IDENTITY);
        for (&glyph, &c) in &self.chars {
            cmap.pair(glyph, c);
        }
        pdf.cmap(to_unicode, &cmap.finish());
    }

    /// The six capital letters a subset's font name starts with (PDF 1.7, 9.6.4), derived from
    /// the glyphs it holds.
    fn tag(&self) -> String {
        let mut hash: u32 = 0x811c_9dc5;
        for glyph in self.glyphs.remapped_gids() {
            for byte in glyph.to_be_bytes() {
                hash = (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193);
            }
        }
        (0..6)
            .map(|_| {
                let letter = char::from(b'A' + (hash % 26) as u8);
                hash /= 26;
                letter
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn certificate_for(student: &str) -> Certificate {
        Certificate {
            language: Language::Nl,
            student: student.into(),
            circle: "Circle Techniek".into(),
            school: "ROC Midden Nederland".into(),
            organisation: "VHTO".into(),
            teacher: "Marieke".into(),
            dates: vec!["2026-09-15".parse().unwrap()],
            issued: "2027-05-12".parse().unwrap(),
        }
    }

    #[test]
    fn a_certificate_is_one_tagged_a4_page_with_a_title_and_a_language() {
        let bytes = certificate(&certificate_for("Noor Yılmaz"));
        let text = String::from_utf8_lossy(&bytes);
        assert!(bytes.starts_with(b"%PDF-"));
        assert!(text.contains("/MediaBox [0 0 595 842]"), "A4");
        assert!(text.contains("/Lang (nl-NL)"));
        assert!(text.contains("/StructTreeRoot") && text.contains("/Marked true"));
        assert!(text.contains("/Title (Certificaat van deelname)"));
        assert!(text.contains("/Count 1"));
    }

    #[test]
    fn every_name_prints_exactly_in_the_embedded_font() {
        for name in ["Şeyma Yılmaz", "Zoë Łukasiewicz", "Nguyễn Thị Hồng"] {
            for c in name.chars() {
                assert!(REGULAR.face.glyph_index(c).is_some(), "{c} in DejaVu Sans");
                assert!(
                    BOLD.face.glyph_index(c).is_some(),
                    "{c} in DejaVu Sans Bold"
                );
            }
            let bytes = certificate(&certificate_for(name));
            let text = String::from_utf8_lossy(&bytes);
            assert!(text.contains("/FontFile2"), "{name}: the font is embedded");
            assert!(text.contains("/CIDFontType2") && text.contains("/Identity-H"));
            assert!(!text.contains("Helvetica"), "{name}: no standard font");
            for c in name.chars() {
                let mapping = format!("> <{:04X}>", u32::from(c));
                assert!(text.contains(&mapping), "{name}: {c} in the ToUnicode map");
            }
        }
    }

    #[test]
    fn long_paragraphs_wrap_within_the_margins() {
        let style = Style::body();
        let text = "woord ".repeat(80);
        let lines = wrap(&text, style, 451.0);
        assert!(lines.len() > 3);
        assert!(lines.iter().all(|l| text_width(l, style) <= 451.0));
        assert_eq!(wrap("", style, 451.0), vec![String::new()]);
    }
}
