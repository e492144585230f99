use std::{fmt, sync::Arc};

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteDiagnostic, NamedSource, SourceSpan,
};

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
fn inert(text: &str) -> String {
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

fn adapt(d: &Diagnostic, sources: &SourceMap) -> Adapter {
    let mut inner = MietteDiagnostic::new(inert(&d.message))
        .with_code(format!("{}({})", d.code.as_str(), d.code.name()))
        .with_severity(match d.severity {
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

/// Renders diagnostics the way rustc does: source line, labelled span, help.
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
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(options.width)
        .with_links(false)
        .with_urls(false);
    let mut out = String::new();
    for (i, d) in diagnostics.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let adapter = adapt(d, sources);
        if handler.render_report(&mut out, &adapter).is_err() {
            // A renderer bug must not hide the finding: fall back to one plain line.
            out.push_str(&format!("{}: {} [{}]\n", d.severity, d.message, d.code));
        }
    }
    out
}
