//! Whether and how wide to draw for the terminal: `--color`, `NO_COLOR`,
//! `CLICOLOR_FORCE`, `COLUMNS`.

use std::io::IsTerminal;

use clap::ValueEnum;

/// `--color`: when to colour human output.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// On a terminal, unless `NO_COLOR` is set; `CLICOLOR_FORCE` forces it elsewhere
    #[default]
    Auto,
    /// Always, even into a pipe or a file
    Always,
    /// Never
    Never,
}

impl ColorChoice {
    /// Whether to colour standard output. In `auto`, `NO_COLOR` wins over
    /// `CLICOLOR_FORCE`, as the conventions (no-color.org, bixense.com/clicolors) and
    /// clap's own terminal handling order them.
    pub fn for_stdout(self) -> bool {
        self.for_stream(std::io::stdout().is_terminal())
    }

    /// Whether to colour standard error (where `vpce fmt` reports).
    pub fn for_stderr(self) -> bool {
        self.for_stream(std::io::stderr().is_terminal())
    }

    fn for_stream(self, is_terminal: bool) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                !anstyle_query::no_color() && (anstyle_query::clicolor_force() || is_terminal)
            }
        }
    }
}

/// The width to wrap human output at: `COLUMNS`, else 100.
pub fn width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(100)
}
