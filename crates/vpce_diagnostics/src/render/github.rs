//! GitHub Actions workflow commands (`::error file=...::message`), which annotate the
//! lines of a pull request.

use crate::{Diagnostic, Severity, SourceMap};

/// Escapes a command's message (`%`, CR, LF).
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value: the message escapes plus `:` and `,`.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

pub fn render_github(diagnostics: &[Diagnostic], sources: &SourceMap) -> String {
    let mut out = String::new();
    for d in diagnostics {
        let command = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let mut properties = Vec::new();
        let flag = super::flag_of(d, sources);
        if let Some(span) = d.primary_span().filter(|_| flag.is_none()) {
            let file = sources.get(span.file);
            let start = file.line_col(span.start as usize);
            let end = file.line_col(span.end as usize);
            properties.push(format!("file={}", escape_property(&file.name)));
            properties.push(format!("line={}", start.line));
            properties.push(format!("col={}", start.column));
            properties.push(format!("endLine={}", end.line));
            if end.line == start.line {
                properties.push(format!("endColumn={}", end.column));
            }
        }
        properties.push(format!(
            "title={}",
            escape_property(&format!("{} {}", d.code.as_str(), d.code.name()))
        ));
        let mut message = d.message.clone();
        if let Some(flag) = flag {
            message = format!("`{flag}`: {message}");
        }
        if let Some(label) = d.labels.first().and_then(|l| l.text.as_deref()) {
            message.push_str(&format!(": {label}"));
        }
        if let Some(help) = &d.help {
            message.push_str(&format!("\nhelp: {help}"));
        }
        out.push_str(&format!(
            "::{command} {}::{}\n",
            properties.join(","),
            escape_data(&message)
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_what_workflow_commands_reserve() {
        assert_eq!(escape_data("50% a\nb"), "50%25 a%0Ab");
        assert_eq!(escape_property("a:b,c"), "a%3Ab%2Cc");
    }
}
