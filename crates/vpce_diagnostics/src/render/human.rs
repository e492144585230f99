use std::{fmt, sync::Arc};

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteDiagnostic, NamedSource, SourceSpan,
};
use owo_colors::{OwoColorize, Style};

use crate::{Diagnostic, Severity, SourceMap};

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
struct Adapter {
    inner: MietteDiagnostic,
    source: Option<NamedSource<Arc<str>>>,
}

impl fmt::Debug for Adapter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.inner.fmt(f)
    }
}

impl fmt::Display for Adapter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.inner, f)
    }
}

impl std::error::Error for Adapter {}

impl miette::Diagnostic for Adapter {
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
        self.source.as_ref().map(|s| s as &dyn miette::SourceCode)
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
fn adapt(d: &Diagnostic, sources: &SourceMap) -> Adapter {
    let mut inner = MietteDiagnostic::new(PLACEHOLDER_MESSAGE).with_severity(match d.severity {
        Severity::Error => miette::Severity::Error,
        Severity::Warning => miette::Severity::Warning,
        Severity::Info => miette::Severity::Advice,
    });
    let mut help = d.help.as_deref().map(inert);
    let mut notes = Vec::new();
    let mut source = None;
    if let Some(primary) = d.primary_span() {
        let file = sources.get(primary.file);
        source = Some(NamedSource::new(
            inert(&file.name),
            inert_source(&file.text),
        ));
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
    let mut out = String::new();
    for (i, d) in diagnostics.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&header(d, &theme, options.color));
        let mut body = String::new();
        if handler.render_report(&mut body, &adapt(d, sources)).is_ok() {
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
