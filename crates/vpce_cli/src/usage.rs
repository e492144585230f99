//! Command-line usage errors, with tips where other tools' habits mislead.

/// `--json`, `--yaml`, ... are what other tools call `--format json`: clap's error
/// for such a flag gets the tip to use `--format` instead of its generic one.
pub fn with_format_tip(mut error: clap::Error) -> clap::Error {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    if error.kind() != ErrorKind::UnknownArgument {
        return error;
    }
    let Some(ContextValue::String(flag)) = error.get(ContextKind::InvalidArg) else {
        return error;
    };
    let Some(format) = ["json", "yaml", "sarif", "github", "markdown", "human"]
        .into_iter()
        .find(|format| flag.strip_prefix("--") == Some(format))
    else {
        return error;
    };
    error.insert(
        ContextKind::Suggested,
        ContextValue::StyledStrs(vec![format!(
            "to choose the output format, use '--format {format}'"
        )
        .into()]),
    );
    error
}
