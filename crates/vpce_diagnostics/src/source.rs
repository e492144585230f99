use std::sync::Arc;

/// Index of a file in a [`SourceMap`].
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FileId(pub u32);

/// A byte range in one source file.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    pub file: FileId,
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(file: FileId, start: usize, end: usize) -> Span {
        let start = u32::try_from(start).unwrap_or(u32::MAX);
        let end = u32::try_from(end).unwrap_or(u32::MAX).max(start);
        Span { file, start, end }
    }

    /// A span from the start of `self` to the end of `other` (same file).
    pub fn to(self, other: Span) -> Span {
        if self.file != other.file {
            return self;
        }
        Span {
            file: self.file,
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }

    pub fn len(&self) -> usize {
        (self.end - self.start) as usize
    }

    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }
}

/// 1-based line and column (the column counts characters, as editors do).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct LineCol {
    pub line: usize,
    pub column: usize,
}

/// Where a source text comes from, which decides how its name is shown.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Default)]
pub enum Origin {
    /// A file of the configuration (or one `file()` read), named relative to the
    /// configuration directory; the CLI shows it under the path the user gave.
    #[default]
    Config,
    /// A file named on the command line (`--var-file ./prod.vars`), named as given.
    Given,
    /// Not a file: a command-line flag (`--var env=...`), named after the flag.
    Flag,
}

/// One source text with the name it is shown under (relative to the configuration).
#[derive(Clone, Debug)]
pub struct SourceFile {
    pub name: String,
    pub text: Arc<str>,
    pub origin: Origin,
    line_starts: Vec<usize>,
}

impl SourceFile {
    pub fn new(name: impl Into<String>, text: impl Into<Arc<str>>) -> SourceFile {
        let text: Arc<str> = text.into();
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        SourceFile {
            name: name.into(),
            text,
            origin: Origin::Config,
            line_starts,
        }
    }

    /// The same text from another origin.
    pub fn with_origin(mut self, origin: Origin) -> SourceFile {
        self.origin = origin;
        self
    }

    /// Whether the text is a file on disk (configuration or `--var-file`), which tools
    /// can open, rather than a command-line flag.
    pub fn is_file(&self) -> bool {
        self.origin != Origin::Flag
    }

    /// Line and column of a byte offset, clamped to the text and to a char boundary.
    /// The start of the line `above` lines over the one holding `offset` (the first line
    /// when there are fewer), and how many lines come before it. Lines end at `\n`.
    pub fn line_start_above(&self, offset: usize, above: usize) -> (usize, usize) {
        let line = self.line_starts.partition_point(|&s| s <= offset) - 1;
        let line = line.saturating_sub(above);
        (self.line_starts[line], line)
    }

    pub fn line_col(&self, offset: usize) -> LineCol {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line_starts.partition_point(|&s| s <= offset) - 1;
        let column = self.text[self.line_starts[line]..offset].chars().count() + 1;
        LineCol {
            line: line + 1,
            column,
        }
    }
}

/// Every file of one compilation: configuration files (in sorted order), then
/// variable files and files read by `file()`.
#[derive(Clone, Debug, Default)]
pub struct SourceMap {
    files: Vec<SourceFile>,
}

impl SourceMap {
    pub fn new() -> SourceMap {
        SourceMap::default()
    }

    /// Adds a file of the configuration.
    pub fn add(&mut self, name: impl Into<String>, text: impl Into<Arc<str>>) -> FileId {
        self.push(SourceFile::new(name, text))
    }

    /// Adds a source of any origin.
    pub fn push(&mut self, file: SourceFile) -> FileId {
        self.files.push(file);
        FileId(u32::try_from(self.files.len() - 1).expect("fewer than 2^32 files"))
    }

    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    pub fn files(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files
            .iter()
            .enumerate()
            .map(|(i, f)| (FileId(i as u32), f))
    }

    /// The same files, the configuration's shown under `prefix` + name (the CLI shows
    /// paths as typed); files named on the command line and flags keep their names.
    pub fn with_prefix(&self, prefix: &str) -> SourceMap {
        let mut files = self.files.clone();
        for file in files.iter_mut().filter(|f| f.origin == Origin::Config) {
            file.name = format!("{prefix}{}", file.name);
        }
        SourceMap { files }
    }

    /// The source text a span covers.
    pub fn snippet(&self, span: Span) -> &str {
        let text = &self.get(span.file).text;
        text.get(span.start as usize..span.end as usize)
            .unwrap_or("")
    }

    pub fn line_col(&self, span: Span) -> LineCol {
        self.get(span.file).line_col(span.start as usize)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_is_one_based_and_counts_characters() {
        let file = SourceFile::new("a.hcl", "ab\nçd = 1\n");
        assert_eq!(file.line_col(0), LineCol { line: 1, column: 1 });
        assert_eq!(file.line_col(3), LineCol { line: 2, column: 1 });
        // `d` sits after a two-byte character.
        assert_eq!(file.line_col(5), LineCol { line: 2, column: 2 });
        // Inside a multi-byte character: clamp back to its start.
        assert_eq!(file.line_col(4), LineCol { line: 2, column: 1 });
        assert_eq!(file.line_col(999).line, 3);
    }
}
