//! Printable documents made on the device, offline: a circle student's certificate of
//! participation and the circle leaflet. One A4 page each, in the reader's language, as tagged PDF
//! with real text (Helvetica, WinAnsi encoding), a title and a language, so screen readers and
//! text extraction read them.

use chrono::NaiveDate;
use pdf_writer::types::StructRole;
use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str, TextStr};

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
}

struct Line {
    x: f32,
    y: f32,
    style: Style,
    text: Vec<u8>,
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
                    text: winansi(&line),
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
        for (id, base) in [(regular, "Helvetica"), (bold, "Helvetica-Bold")] {
            pdf.type1_font(id)
                .base_font(Name(base.as_bytes()))
                .encoding_predefined(Name(b"WinAnsiEncoding"));
        }
        pdf.document_info(info)
            .title(TextStr(&self.title))
            .creator(TextStr("Peer Mentoring"));

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
                content.begin_text();
                let font = if line.style.bold {
                    Name(b"F2")
                } else {
                    Name(b"F1")
                };
                content.set_font(font, line.style.size);
                content.next_line(line.x, line.y);
                content.show(Str(&line.text));
                content.end_text();
            }
            content.end_marked_content();
        }
        pdf.stream(content_id, &content.finish());

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

/// The width of `text` in Helvetica, in points (close enough to centre and wrap by).
fn text_width(text: &str, style: Style) -> f32 {
    let units: u32 = text.chars().map(helvetica_width).sum();
    let factor = if style.bold { 1.06 } else { 1.0 };
    units as f32 / 1000.0 * style.size * factor
}

fn helvetica_width(c: char) -> u32 {
    match c {
        ' ' | 'f' | 't' | '.' | ',' | ':' | ';' | '/' | '!' | 'I' => 278,
        'i' | 'j' | 'l' => 222,
        'r' | '-' | '(' | ')' => 333,
        'c' | 'k' | 's' | 'v' | 'x' | 'y' | 'z' | 'J' => 500,
        'm' | 'M' => 833,
        'w' | 'C' | 'D' | 'H' | 'N' | 'R' | 'U' => 722,
        'W' => 944,
        'F' | 'T' | 'Z' => 611,
        'G' | 'O' | 'Q' => 778,
        'L' => 556,
        'A' | 'B' | 'E' | 'K' | 'P' | 'S' | 'V' | 'X' | 'Y' | '&' => 667,
        '\'' => 191,
        '@' => 1015,
        _ => 556,
    }
}

/// Text in the WinAnsi encoding of the standard fonts. Letters it lacks that are common in
/// Dutch students' names (Turkish, Polish) become their base letter; anything else becomes `?`.
fn winansi(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| match c {
            ' '..='~' => c as u8,
            '\u{a0}'..='\u{ff}' => c as u32 as u8,
            '€' => 0x80,
            '…' => 0x85,
            '‘' => 0x91,
            '’' => 0x92,
            '“' => 0x93,
            '”' => 0x94,
            '•' => 0x95,
            '–' => 0x96,
            '—' => 0x97,
            'Š' => 0x8a,
            'Œ' => 0x8c,
            'Ž' => 0x8e,
            'š' => 0x9a,
            'œ' => 0x9c,
            'ž' => 0x9e,
            'Ÿ' => 0x9f,
            'ı' => b'i',
            'İ' => b'I',
            'ş' | 'ș' | 'ś' => b's',
            'Ş' | 'Ș' | 'Ś' => b'S',
            'ğ' => b'g',
            'Ğ' => b'G',
            'ł' => b'l',
            'Ł' => b'L',
            'ć' | 'č' => b'c',
            'Ć' | 'Č' => b'C',
            'ń' => b'n',
            'ę' => b'e',
            'ą' => b'a',
            'ż' | 'ź' => b'z',
            'Ż' | 'Ź' => b'Z',
            _ => b'?',
        })
        .collect()
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
    fn text_outside_winansi_is_replaced_not_dropped() {
        assert_eq!(winansi("Chloë – 3€"), b"Chlo\xeb \x96 3\x80".to_vec());
        assert_eq!(winansi("Yılmaz Wałęsa"), b"Yilmaz Walesa".to_vec());
        assert_eq!(winansi("王"), b"?".to_vec());
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
