//! A linear scan before parsing that bounds the entries of one `{ ... }`.
//!
//! hcl-edit keeps an object's entries in a vector map and looks each new key up in
//! it, so parsing an object literal is quadratic in its number of keys: a few hundred
//! thousand keys, well under the file-size cap, would take hours. Counting entries
//! first keeps every accepted file linear enough to parse in well under a second per
//! megabyte.
//!
//! The scan only needs an upper bound: it counts `=` and `:` at each brace level,
//! skipping comments, quoted strings (with their `${ }` interpolations) and heredocs.
//! Where it miscounts (an odd construct), it counts too many, never too few.

/// The most entries (attributes, keys) one `{ ... }` may hold.
pub const MAX_ENTRIES: usize = 20_000;

/// The byte offset of the first `{` whose entries pass `MAX_ENTRIES`, if any.
pub fn crowded_brace(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    // For each open brace: where it opened and the entries counted so far.
    let mut open: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'#' => i = skip_line(bytes, i),
            b'/' if bytes.get(i + 1) == Some(&b'/') => i = skip_line(bytes, i),
            b'/' if bytes.get(i + 1) == Some(&b'*') => i = skip_block_comment(bytes, i),
            b'"' => i = skip_string(bytes, i),
            b'<' if bytes.get(i + 1) == Some(&b'<') => i = skip_heredoc(bytes, i),
            b'{' => {
                open.push((i, 0));
                i += 1;
            }
            b'}' => {
                open.pop();
                i += 1;
            }
            b'=' | b':' => {
                // `==`, `<=`, `>=`, `!=`, `=>` are operators, not entries: counting them
                // too only makes the bound larger, which is safe.
                if let Some((at, count)) = open.last_mut() {
                    *count += 1;
                    if *count > MAX_ENTRIES {
                        return Some(*at);
                    }
                }
                i += 1;
            }
            _ => i += 1,
        }
    }
    None
}

fn skip_line(bytes: &[u8], i: usize) -> usize {
    bytes[i..]
        .iter()
        .position(|b| *b == b'\n')
        .map_or(bytes.len(), |n| i + n + 1)
}

fn skip_block_comment(bytes: &[u8], i: usize) -> usize {
    bytes[i + 2..]
        .windows(2)
        .position(|w| w == b"*/")
        .map_or(bytes.len(), |n| i + 2 + n + 2)
}

/// From an opening `"` to just past its closing one, skipping escapes and `${ }` or
/// `%{ }` interpolations (which may hold strings of their own).
fn skip_string(bytes: &[u8], start: usize) -> usize {
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return i + 1,
            b'\n' => return i + 1, // unterminated: the parser reports it
            b'$' | b'%' if bytes.get(i + 1) == Some(&b'{') => i = skip_interpolation(bytes, i + 2),
            _ => i += 1,
        }
    }
    bytes.len()
}

/// From just inside `${` to just past its closing `}`.
fn skip_interpolation(bytes: &[u8], start: usize) -> usize {
    let mut depth = 1usize;
    let mut i = start;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => i = skip_string(bytes, i),
            b'{' => {
                depth += 1;
                i += 1;
            }
            b'}' => {
                depth -= 1;
                i += 1;
                if depth == 0 {
                    return i;
                }
            }
            _ => i += 1,
        }
    }
    bytes.len()
}

/// `<<EOT` or `<<-EOT` up to the line that is the marker alone; anything else that
/// starts with `<<` is skipped by two bytes.
fn skip_heredoc(bytes: &[u8], start: usize) -> usize {
    let mut i = start + 2;
    if bytes.get(i) == Some(&b'-') {
        i += 1;
    }
    let marker_start = i;
    while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
        i += 1;
    }
    let marker = &bytes[marker_start..i];
    if marker.is_empty() || bytes.get(i) != Some(&b'\n') {
        return start + 2;
    }
    let mut line_start = i + 1;
    while line_start < bytes.len() {
        let line_end = bytes[line_start..]
            .iter()
            .position(|b| *b == b'\n')
            .map_or(bytes.len(), |n| line_start + n);
        let line = &bytes[line_start..line_end];
        if line.trim_ascii() == marker {
            return line_end;
        }
        line_start = line_end + 1;
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn object(keys: usize) -> String {
        let mut text = String::from("locals {\n  o = {\n");
        for i in 0..keys {
            text.push_str(&format!("    k{i} = {i}\n"));
        }
        text.push_str("  }\n}\n");
        text
    }

    #[test]
    fn counts_the_entries_of_the_fullest_brace() {
        assert_eq!(crowded_brace(&object(MAX_ENTRIES - 1)), None);
        assert_eq!(crowded_brace(&object(MAX_ENTRIES + 1)), Some(15));
    }

    #[test]
    fn strings_comments_and_heredocs_do_not_count() {
        let mut text = String::from("x = {\n");
        let filler = "= : ".repeat(MAX_ENTRIES);
        text.push_str(&format!("  a = \"{filler} ${{ \"{filler}\" }}\"\n"));
        text.push_str(&format!("  # {filler}\n  /* {filler} */\n"));
        text.push_str(&format!("  b = <<-EOT\n    {filler}\n  EOT\n}}\n"));
        assert_eq!(crowded_brace(&text), None);
    }

    #[test]
    fn every_example_passes() {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples");
        for dir in std::fs::read_dir(root).unwrap() {
            let dir = dir.unwrap().path();
            if !dir.is_dir() {
                continue;
            }
            for file in std::fs::read_dir(&dir).unwrap() {
                let path = file.unwrap().path();
                // Module directories (`modules/`) are examples' too, but not files.
                if !path.is_file() {
                    continue;
                }
                let text = std::fs::read_to_string(path).unwrap();
                assert_eq!(crowded_brace(&text), None);
            }
        }
    }
}
