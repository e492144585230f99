use std::{cell::OnceCell, fmt, sync::Arc};

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteDiagnostic, NamedSource, SourceSpan,
};
use owo_colors::{OwoColorize, Style};

use crate::{Diagnostic, FileId, Severity, SourceFile, SourceMap};

/// How to draw human diagnostics. The CLI decides colour (terminal, `NO_COLOR`); tests
/// use no colour and a fixed width so snapshots are stable.
#[derive(Clone, Debug)]
pub struct HumanOptions {
    pub color: bool,
    pub width: usize,
}

impl Default for HumanOptions {
    fn default() -> HumanOptions {
        HumanOptions {
            color: false,
            width: 80,
        }
    }
}

/// miette needs one `Diagnostic` impl; this adapter supplies it from our struct.
struct Adapter<'s> {
    inner: MietteDiagnostic,
    source: Option<&'s FileSource<'s>>,
}

/// A file as miette reads it, made inert once per render. miette finds a span's lines
/// by scanning the text from its start, which made rendering N diagnostics in one
/// file O(N × file); this source hands it only the lines from the context's first
/// line on, found through the file's line table, and shifts the answer back.
struct FileSource<'s> {
    named: NamedSource<Arc<str>>,
    text: Arc<str>,
    file: &'s SourceFile,
    /// A lone `\r` is a line break to miette but not to the line table: such a file
    /// is read whole.
    lone_carriage_return: bool,
}

impl<'s> FileSource<'s> {
    fn new(file: &'s SourceFile) -> FileSource<'s> {
        let text = inert_source(&file.text);
        let bytes = text.as_bytes();
        let lone_carriage_return = bytes
            .iter()
            .enumerate()
            .any(|(i, &b)| b == b'\r' && bytes.get(i + 1) != Some(&b'\n'));
        FileSource {
            named: NamedSource::new(inert(&file.name), Arc::clone(&text)),
            text,
            file,
            lone_carriage_return,
        }
    }
}

impl miette::SourceCode for FileSource<'_> {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'a> + 'a>, miette::MietteError> {
        if self.lone_carriage_return || span.offset() > self.text.len() {
            return self
                .named
                .read_span(span, context_lines_before, context_lines_after);
        }
        // From the line above the first context line on, miette finds what it would in
        // the whole text (the same lines and columns, counted from the window's start):
        // its scan looks one byte before a span, so the window starts a line earlier.
        let (window, lines_before) = self
            .file
            .line_start_above(span.offset(), context_lines_before + 1);
        let shifted = SourceSpan::new((span.offset() - window).into(), span.len());
        let found = self.text.as_bytes()[window..].read_span(
            &shifted,
            context_lines_before,
            context_lines_after,
        )?;
        Ok(Box::new(miette::MietteSpanContents::new_named(
            self.named.name().to_string(),
            found.data(),
            SourceSpan::new((found.span().offset() + window).into(), found.span().len()),
            found.line() + lines_before,
            found.column(),
            found.line_count() + lines_before,
        )))
    }
}

impl fmt::Debug for Adapter<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.inner.fmt(f)
    }
}

impl fmt::Display for Adapter<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.inner, f)
    }
}

impl std::error::Error for Adapter<'_> {}

impl miette::Diagnostic for Adapter<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.inner.code()
    }
    fn severity(&self) -> Option<miette::Severity> {
        self.inner.severity()
    }
    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.inner.help()
    }
    fn url<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.inner.url()
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.inner.labels()
    }
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.source.map(|s| s as &dyn miette::SourceCode)
    }
}

/// Characters a terminal could act on: controls other than line breaks and tabs
/// (escape sequences), and bidirectional overrides that reorder what is shown.
fn is_unsafe_for_terminal(c: char) -> bool {
    (c.is_control() && !matches!(c, '\n' | '\t' | '\r'))
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Text from the input, made inert for a terminal: unsafe characters are written as
/// escapes (`\u{1b}`).
pub fn inert(text: &str) -> String {
    if !text.chars().any(is_unsafe_for_terminal) {
        return text.to_string();
    }
    text.chars()
        .map(|c| {
            if is_unsafe_for_terminal(c) {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// Source text made inert for a terminal without moving a byte: each unsafe character
/// becomes as many `?` as it has bytes, so spans still point where they did.
fn inert_source(text: &Arc<str>) -> Arc<str> {
    if !text.chars().any(is_unsafe_for_terminal) {
        return Arc::clone(text);
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if is_unsafe_for_terminal(c) {
            out.extend(std::iter::repeat_n('?', c.len_utf8()));
        } else {
            out.push(c);
        }
    }
    out.into()
}

/// miette's own first line (`× message`) stands in for the header vpce writes itself;
/// this one-line placeholder message is dropped from its output.
const PLACEHOLDER_MESSAGE: &str = "-";

/// The adapter carries no code and a placeholder message: the header line
/// (`error[V203]: message`) is written by `header`, the way rustc writes it.
fn adapt<'s>(
    d: &Diagnostic,
    sources: &SourceMap,
    source_of: &dyn Fn(FileId) -> &'s FileSource<'s>,
) -> Adapter<'s> {
    let mut inner = MietteDiagnostic::new(PLACEHOLDER_MESSAGE).with_severity(match d.severity {
        Severity::Error => miette::Severity::Error,
        Severity::Warning => miette::Severity::Warning,
        Severity::Info => miette::Severity::Advice,
    });
    let mut help = d.help.as_deref().map(inert);
    let mut notes = Vec::new();
    let mut source = None;
    if let Some(primary) = d.primary_span() {
        source = Some(source_of(primary.file));
        let mut labels = Vec::new();
        for (i, label) in d.labels.iter().enumerate() {
            if label.span.file == primary.file {
                let span = SourceSpan::new((label.span.start as usize).into(), label.span.len());
                let text = label.text.as_deref().map(inert);
                labels.push(if i == 0 {
                    LabeledSpan::new_primary_with_span(text, span)
                } else {
                    LabeledSpan::new_with_span(text, span)
                });
            } else {
                // miette draws one file per report: name labels in other files as notes.
                let other = sources.get(label.span.file);
                let at = other.line_col(label.span.start as usize);
                notes.push(format!(
                    "{}:{}:{}: {}",
                    inert(&other.name),
                    at.line,
                    at.column,
                    inert(label.text.as_deref().unwrap_or("related"))
                ));
            }
        }
        inner = inner.with_labels(labels);
    }
    notes.extend(d.notes.iter().map(|n| inert(n)));
    for note in notes {
        let line = format!("note: {note}");
        help = Some(match help {
            Some(h) => format!("{h}\n{line}"),
            None => line,
        });
    }
    if let Some(help) = help {
        inner = inner.with_help(help);
    }
    Adapter { inner, source }
}

/// The first line of a diagnostic, as rustc writes it: `error[V203]: message`, the
/// severity and code in the severity's colour, the message in bold.
fn header(d: &Diagnostic, theme: &GraphicalTheme, color: bool) -> String {
    let severity = format!("{}[{}]", d.severity, d.code);
    let message = inert(&d.message);
    if !color {
        return format!("{severity}: {message}\n");
    }
    let severity_style = match d.severity {
        Severity::Error => theme.styles.error,
        Severity::Warning => theme.styles.warning,
        Severity::Info => theme.styles.advice,
    };
    format!(
        "{}{} {}\n",
        severity.style(severity_style.bold()),
        ":".style(Style::new().bold()),
        message.style(Style::new().bold())
    )
}

/// Renders diagnostics the way rustc does: `error[CODE]: message`, then the source
/// lines with the labelled spans, then help and notes.
pub fn render_human(
    diagnostics: &[Diagnostic],
    sources: &SourceMap,
    options: &HumanOptions,
) -> String {
    let theme = if options.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme.clone())
        .with_width(options.width)
        .with_links(false)
        .with_urls(false)
        .without_cause_chain();
    // Each file is made inert and scanned once, when a diagnostic first points into it.
    let file_sources: Vec<OnceCell<FileSource<'_>>> =
        sources.files().map(|_| OnceCell::new()).collect();
    let source_of =
        |id: FileId| file_sources[id.0 as usize].get_or_init(|| FileSource::new(sources.get(id)));
    let mut out = String::new();
    for (i, d) in diagnostics.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&header(d, &theme, options.color));
        let mut body = String::new();
        if handler
            .render_report(&mut body, &adapt(d, sources, &source_of))
            .is_ok()
        {
            // Without a code miette writes no header, so its first line is the
            // placeholder message: everything after it is the excerpt, help and notes.
            let rest = body.split_once('\n').map_or("", |(_, rest)| rest);
            out.push_str(rest);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Code, Span};

    fn overlap() -> (Vec<Diagnostic>, SourceMap) {
        let mut sources = SourceMap::new();
        let file = sources.add("main.hcl", "subnet \"b\" {\n  cidr = \"10.0.0.0/23\"\n}\n");
        let diagnostic = Diagnostic::new(Code::SubnetOverlap, "subnet `b` overlaps subnet `a`")
            .with_label(Span::new(file, 22, 35), "overlaps")
            .with_help("give each subnet its own block");
        (vec![diagnostic], sources)
    }

    /// The windowed source answers every span as miette's own scan of the whole text.
    #[test]
    fn the_file_source_reads_spans_as_miette_reads_the_whole_text() {
        use miette::SourceCode;
        let texts = [
            "a\nbb\n\nccc\ndddd\ne",
            "first\r\nsecond\r\n\r\nfourth\r\n",
            "lone\rbreak\nhere\n",
            "no newline at all",
            "\n\n\nx\n",
            "l0\nl1\nl2\nl3\nl4\nl5\nl6\nl7\nl8\nl9\n",
        ];
        for text in texts {
            let file = SourceFile::new("t.hcl", text);
            let windowed = FileSource::new(&file);
            let whole = NamedSource::new("t.hcl", text.to_string());
            for start in 0..=text.len() {
                for len in 0..=(text.len() - start).min(6) {
                    for (before, after) in [(0, 0), (1, 1), (2, 3), (5, 0)] {
                        let span = SourceSpan::new(start.into(), len);
                        let ours = windowed.read_span(&span, before, after);
                        let theirs = whole.read_span(&span, before, after);
                        let at = format!("{text:?} {start}+{len} ({before}, {after})");
                        match (ours, theirs) {
                            (Ok(ours), Ok(theirs)) => {
                                assert_eq!(ours.data(), theirs.data(), "{at}");
                                assert_eq!(ours.span(), theirs.span(), "{at}");
                                assert_eq!(ours.line(), theirs.line(), "{at}");
                                assert_eq!(ours.column(), theirs.column(), "{at}");
                                assert_eq!(ours.line_count(), theirs.line_count(), "{at}");
                                assert_eq!(ours.name(), theirs.name(), "{at}");
                            }
                            (ours, theirs) => assert_eq!(ours.is_ok(), theirs.is_ok(), "{at}"),
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn starts_with_severity_code_and_message_then_keeps_the_excerpt() {
        let (diagnostics, sources) = overlap();
        let text = render_human(&diagnostics, &sources, &HumanOptions::default());
        let mut lines = text.lines();
        assert_eq!(
            lines.next(),
            Some("error[V203]: subnet `b` overlaps subnet `a`")
        );
        assert!(
            lines.next().unwrap().contains("╭─[main.hcl:2:10]"),
            "{text}"
        );
        assert!(text.contains("╰── overlaps"), "{text}");
        assert!(
            text.contains("help: give each subnet its own block"),
            "{text}"
        );
        assert!(
            !text.contains('×'),
            "miette's own message line is gone: {text}"
        );
    }

    #[test]
    fn a_coloured_header_keeps_its_text() {
        let (mut diagnostics, sources) = overlap();
        diagnostics[0] = diagnostics[0].clone().with_severity(Severity::Warning);
        let options = HumanOptions {
            color: true,
            ..HumanOptions::default()
        };
        let text = render_human(&diagnostics, &sources, &options);
        let header = text.lines().next().unwrap();
        assert!(header.starts_with('\u{1b}'), "{header:?}");
        assert!(header.contains("warning[V203]"), "{header:?}");
        assert!(
            header.contains("subnet `b` overlaps subnet `a`"),
            "{header:?}"
        );
    }
}
