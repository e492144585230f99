//! Byte offsets (what vpce's spans hold) to LSP positions and back, in the encoding
//! negotiated with the client: UTF-16 code units by default, UTF-8 bytes if offered.

use lsp_types::{Position, Range};

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16,
}

/// Line starts of one text, for conversions both ways.
pub struct LineIndex<'a> {
    text: &'a str,
    line_starts: Vec<usize>,
    encoding: Encoding,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str, encoding: Encoding) -> LineIndex<'a> {
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        LineIndex {
            text,
            line_starts,
            encoding,
        }
    }

    /// The position of a byte offset, clamped to the text and to a char boundary.
    pub fn position(&self, offset: usize) -> Position {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line_starts.partition_point(|&s| s <= offset) - 1;
        let before = &self.text[self.line_starts[line]..offset];
        let character = match self.encoding {
            Encoding::Utf8 => before.len(),
            Encoding::Utf16 => before.encode_utf16().count(),
        };
        Position::new(to_u32(line), to_u32(character))
    }

    pub fn range(&self, start: usize, end: usize) -> Range {
        Range::new(self.position(start), self.position(end))
    }

    /// The byte offset of a position; a line or character past the end clamps to the
    /// end of the text or line, and one inside a character to its start.
    pub fn offset(&self, position: Position) -> usize {
        let Some(&line_start) = self.line_starts.get(position.line as usize) else {
            return self.text.len();
        };
        let line_end = self
            .line_starts
            .get(position.line as usize + 1)
            .map_or(self.text.len(), |next| next - 1);
        let line = &self.text[line_start..line_end];
        let wanted = position.character as usize;
        let mut units = 0;
        for (index, ch) in line.char_indices() {
            if units >= wanted {
                return line_start + index;
            }
            units += match self.encoding {
                Encoding::Utf8 => ch.len_utf8(),
                Encoding::Utf16 => ch.len_utf16(),
            };
            if units > wanted {
                return line_start + index;
            }
        }
        line_end
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_counts_surrogate_pairs_as_two_units() {
        // `é` is 2 bytes and 1 UTF-16 unit; `🦀` is 4 bytes and 2 units.
        let text = "a = \"é🦀x\"\nb";
        let utf16 = LineIndex::new(text, Encoding::Utf16);
        let x = text.find('x').unwrap();
        assert_eq!(utf16.position(x), Position::new(0, 8));
        assert_eq!(utf16.offset(Position::new(0, 8)), x);
        let utf8 = LineIndex::new(text, Encoding::Utf8);
        assert_eq!(utf8.position(x), Position::new(0, x as u32));
        assert_eq!(utf8.offset(Position::new(0, x as u32)), x);
        assert_eq!(utf16.position(text.len()), Position::new(1, 1));
    }

    #[test]
    fn out_of_range_positions_clamp() {
        let text = "ab\ncd";
        let index = LineIndex::new(text, Encoding::Utf16);
        assert_eq!(index.offset(Position::new(0, 99)), 2);
        assert_eq!(index.offset(Position::new(9, 0)), text.len());
        assert_eq!(index.position(99), Position::new(1, 2));
        // Inside a surrogate pair: the character's start.
        let crab = LineIndex::new("🦀z", Encoding::Utf16);
        assert_eq!(crab.offset(Position::new(0, 1)), 0);
        assert_eq!(crab.offset(Position::new(0, 2)), 4);
    }
}
