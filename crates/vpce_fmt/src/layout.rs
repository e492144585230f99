//! The layout: the whitespace between tokens, decided line by line as `terraform fmt`
//! (HashiCorp's hclwrite) decides it, plus blank-line rules of our own.
//!
//! - Indentation: two spaces per open bracket level; a line that opens several brackets
//!   is one level, and the brackets a line starts by closing count before its indent.
//! - Spacing inside a line: one space between tokens except around `.`, before `,` and
//!   `...`, inside `()` and `[]`, after `!` and a negating `-`, between a function name
//!   and its `(`; braces keep a space inside (`{ a = 1 }`) unless empty (`{}`).
//! - Cells: on a line `KEY = VALUE` whose value closes every bracket it opens, the `=`
//!   is aligned with those of the consecutive lines like it; a blank line, a comment
//!   line, a block header or a multi-line value ends the run. Trailing comments of
//!   consecutive lines are aligned the same way.
//! - Blank lines: at most one in a row; none at the start or end of the file, after a
//!   line that opens a bracket or before one that closes it; one after a block's closing
//!   `}` when something follows in the same body.

use crate::lex::{Kind, Token};

const INDENT: usize = 2;

struct Line<'s> {
    tokens: Vec<Token<'s>>,
    /// Spaces before each token (before the first: the indentation).
    spaces: Vec<usize>,
    /// Where the `= VALUE` cell starts.
    assign: Option<usize>,
    /// Where the trailing comment cell starts.
    comment: Option<usize>,
    /// The line starts with the `}` of a block.
    closes_block: bool,
    /// The line leaves brackets open for the lines after it.
    opens: bool,
}

pub fn layout(tokens: &[Token<'_>]) -> String {
    let mut lines = split_lines(tokens);
    indent(&mut lines);
    find_cells(&mut lines);
    space(&mut lines);
    align(&mut lines);
    mark_block_ends(&mut lines);
    emit(&lines)
}

fn split_lines<'s>(tokens: &[Token<'s>]) -> Vec<Line<'s>> {
    let mut lines = Vec::new();
    let mut current = Vec::new();
    for &token in tokens {
        if token.kind == Kind::Newline {
            lines.push(std::mem::take(&mut current));
        } else {
            current.push(token);
        }
    }
    lines.push(current);
    lines
        .into_iter()
        .map(|tokens| Line {
            spaces: vec![0; tokens.len()],
            tokens,
            assign: None,
            comment: None,
            closes_block: false,
            opens: false,
        })
        .collect()
}

/// hclwrite's indent stack: each entry is one indentation level and how many of the
/// brackets that opened it are still open, so a line closing several brackets at once
/// goes back the right levels. A line that starts by closing some of a level's
/// brackets (`}, {` in a list of objects) sits at that level's own indentation, and
/// what it opens again joins that level.
fn indent(lines: &mut [Line<'_>]) {
    let mut levels: Vec<i32> = Vec::new();
    // Closes `closed` brackets; true when the innermost level stays partly open.
    let close = |levels: &mut Vec<i32>, mut closed: i32| {
        while closed > 0 {
            let Some(top) = levels.last_mut() else { break };
            if closed >= *top {
                closed -= *top;
                levels.pop();
            } else {
                *top -= closed;
                return true;
            }
        }
        false
    };
    for line in lines.iter_mut().filter(|l| !l.tokens.is_empty()) {
        let leading_closers = line
            .tokens
            .iter()
            .take_while(|t| t.kind.bracket_change() < 0)
            .count();
        let partly_closed = close(&mut levels, leading_closers as i32);
        line.spaces[0] = INDENT * (levels.len() - usize::from(partly_closed));
        let rest: i32 = line.tokens[leading_closers..]
            .iter()
            .map(|t| t.kind.bracket_change())
            .sum();
        match (rest, levels.last_mut()) {
            (opened, Some(top)) if opened > 0 && partly_closed => {
                *top += opened;
                line.opens = true;
            }
            (opened, _) if opened > 0 => {
                levels.push(opened);
                line.opens = true;
            }
            (closed, _) => {
                close(&mut levels, -closed);
            }
        }
    }
}

fn find_cells(lines: &mut [Line<'_>]) {
    for line in lines.iter_mut() {
        let tokens = &line.tokens;
        if tokens.len() > 1 && tokens[tokens.len() - 1].kind == Kind::Comment {
            line.comment = Some(tokens.len() - 1);
        }
        let lead_end = line.comment.unwrap_or(tokens.len());
        if let Some(equal) = (1..lead_end).find(|&i| tokens[i].kind == Kind::Equal) {
            // Only a value that ends on this line joins an alignment run.
            let net: i32 = tokens[equal..lead_end]
                .iter()
                .map(|t| t.kind.bracket_change())
                .sum();
            if net == 0 {
                line.assign = Some(equal);
            }
        }
    }
}

fn space(lines: &mut [Line<'_>]) {
    for line in lines.iter_mut() {
        for i in 1..line.tokens.len() {
            line.spaces[i] = if Some(i) == line.assign || Some(i) == line.comment {
                1
            } else {
                let cell_start = match line.assign {
                    Some(assign) if i > assign => assign,
                    _ => 0,
                };
                let before = (i >= 2 && i - 2 >= cell_start).then(|| line.tokens[i - 2]);
                usize::from(space_after(line.tokens[i - 1], before, line.tokens[i]))
            };
        }
    }
}

/// Whether `subject` has a space after it, `before` being the token before it in the
/// same cell.
fn space_after(subject: Token<'_>, before: Option<Token<'_>>, after: Token<'_>) -> bool {
    use Kind::*;
    let is_keyword = |word| subject.kind == Ident && subject.text == word && before.is_some();
    match (subject.kind, after.kind) {
        // `for x in (list)`, `if (cond)`: keywords, not function calls.
        (Ident, OpenParen | OpenBracket) if is_keyword("in") || is_keyword("if") => true,
        (Ident, OpenParen) | (Ident, DoubleColon) | (DoubleColon, Ident) => false,
        (Dot, _) | (_, Dot) => false,
        (_, Comma | Ellipsis) => false,
        (Comma, _) => true,
        (Ident | Number, OpenBracket) => false,
        (s, OpenBracket) if s.bracket_change() < 0 => false,
        (Bang, _) => false,
        (Minus, _) => !before.is_none_or(|before| {
            matches!(
                before.kind,
                OpenParen
                    | OpenBrace
                    | OpenBracket
                    | Equal
                    | Colon
                    | Comma
                    | Question
                    | FatArrow
                    | Arithmetic
                    | Minus
                    | Comparison
                    | Logical
                    | Bang
            )
        }),
        (OpenBrace, CloseBrace) => false,
        (OpenBrace, _) | (_, CloseBrace) => true,
        (s, _) if s.bracket_change() > 0 => false,
        (_, a) if a.bracket_change() < 0 => false,
        _ => true,
    }
}

fn width(line: &Line<'_>, tokens: std::ops::Range<usize>) -> usize {
    tokens
        .map(|i| line.spaces[i] + line.tokens[i].text.chars().count())
        .sum()
}

/// Aligns the `=` of consecutive `KEY = VALUE` lines, then the trailing comments of
/// consecutive commented lines.
fn align(lines: &mut [Line<'_>]) {
    align_cells(lines, |line| line.assign);
    align_cells(lines, |line| line.comment);
}

fn align_cells(lines: &mut [Line<'_>], cell: impl Fn(&Line<'_>) -> Option<usize>) {
    let mut start = 0;
    while start < lines.len() {
        let run = lines[start..]
            .iter()
            .take_while(|line| cell(line).is_some())
            .count();
        if run == 0 {
            start += 1;
            continue;
        }
        let run_lines = &mut lines[start..start + run];
        let column = run_lines
            .iter()
            .map(|line| width(line, 0..cell(line).unwrap_or(0)))
            .max()
            .unwrap_or(0);
        for line in run_lines {
            let at = cell(line).unwrap_or(0);
            line.spaces[at] = column - width(line, 0..at) + 1;
        }
        start += run;
    }
}

/// Which lines start with the `}` of a block (not of an object): a `{` opens a block
/// when it comes where a body's items are and no `=` precedes it there.
fn mark_block_ends(lines: &mut [Line<'_>]) {
    let mut open: Vec<bool> = Vec::new();
    for line in lines.iter_mut() {
        let mut after_equal = false;
        for (i, token) in line.tokens.iter().enumerate() {
            let in_body = open.last().is_none_or(|&is_block| is_block);
            match token.kind {
                Kind::Equal => after_equal = true,
                Kind::OpenBrace => {
                    let is_block = in_body && !after_equal;
                    open.push(is_block);
                    if is_block {
                        after_equal = false;
                    }
                }
                kind if kind.bracket_change() > 0 => open.push(false),
                kind if kind.bracket_change() < 0 => {
                    let closed_block = open.pop() == Some(true);
                    line.closes_block |= closed_block && i == 0;
                }
                _ => {}
            }
        }
    }
}

fn emit(lines: &[Line<'_>]) -> String {
    let mut out = String::new();
    let mut blank_pending = false;
    let mut previous: Option<&Line<'_>> = None;
    for line in lines {
        if line.tokens.is_empty() {
            blank_pending = previous.is_some();
            continue;
        }
        let starts_closing = line.tokens[0].kind.bracket_change() < 0;
        if let Some(previous) = previous {
            let wanted = blank_pending || previous.closes_block;
            if wanted && !starts_closing && !previous.opens {
                out.push('\n');
            }
        }
        for (token, &spaces) in line.tokens.iter().zip(&line.spaces) {
            out.extend(std::iter::repeat_n(' ', spaces));
            out.push_str(token.text);
        }
        out.push('\n');
        blank_pending = false;
        previous = Some(line);
    }
    out
}
