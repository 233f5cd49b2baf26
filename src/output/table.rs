//! Tables that fit the terminal without breaking a word, a date, an e-mail, a phone number or an
//! amount, and sentences wrapped at spaces.
//!
//! How a table fits `width` columns: every column that must stay whole (an id, a date, an
//! e-mail, a phone, an amount, a number) takes the width of its widest cell, a status the width
//! of its longest word; free text shares the rest (first the width most of its cells need, then
//! what the widest need) and wraps at spaces, a word longer than its cell cut short with `…`.
//! While free text would get less than 20 columns (or less than its widest cell), the columns
//! the table declared least important are left out, one by one. When only columns that cannot be
//! left out remain and even their narrowest arrangement is too wide, each row is printed as a
//! block of `Label: value` lines, where nothing is cut. Off a terminal (no width) a table is as
//! wide as its widest cells.
//!
//! Every step reads each cell once or twice, so a table of any size draws in time proportional to
//! its text, at any width.

use super::{Column, Kind, Listing, Record, TableStyle, Value};
use std::borrow::Cow;
use std::io::{self, Write};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// A word of free text up to this wide is never cut in a list: the column is at least as wide.
const WORD_KEPT: usize = 16;

/// The same for a record's values (a show), where a coordinator reads every field: wider words
/// are kept whole by printing the record as `Label: value` lines.
const RECORD_WORD_KEPT: usize = 40;

/// Free text first gets the width that this share of its cells needs, then what the widest need.
const TYPICAL_PERCENT: usize = 90;

/// Free text narrower than this (or its widest cell) reads badly: the less important columns are
/// left out first to give it this much, as long as that leaves any column to give it to.
const TEXT_COMFORT: usize = 20;

/// Each column costs a space either side and a border: `│ a ┆ b │` is 3 per column and 1 more.
const BORDER_PER_COLUMN: usize = 3;

/// Inline continuation lines in the block form are indented this much.
const BLOCK_INDENT: usize = 2;

/// One cell as a table shows it.
struct Cell {
    text: String,
    /// Free text: may wrap at spaces (and a long word be cut short in a table).
    wrap: bool,
    /// Drawn in colour on a colour terminal (an overdue count).
    highlight: bool,
}

/// A table before it is fitted: labels, per-column facts, and the rows' cells.
struct Grid {
    labels: Vec<String>,
    right: Vec<bool>,
    leave_out: Vec<Option<u8>>,
    rows: Vec<Vec<Cell>>,
    /// Free text: better not squeezed below [`TEXT_COMFORT`].
    free: Vec<bool>,
    /// Words of free text up to this wide are never cut.
    word_kept: usize,
    /// A list has a header row; a record's fields (label, value) do not.
    header: bool,
}

/// How wide a column can be: its narrowest without breaking a word it must keep, the width most
/// of its cells need, and the width of its widest cell.
#[derive(Debug, Clone, Copy)]
struct Measure {
    min: usize,
    /// What free text needs to read well: see [`TEXT_COMFORT`].
    comfort: usize,
    typical: usize,
    natural: usize,
    text: bool,
}

#[derive(Debug, PartialEq)]
enum Fit {
    /// The columns kept (by index) and their widths.
    Table { keep: Vec<usize>, widths: Vec<usize> },
    /// One block of `Label: value` lines per row.
    Blocks,
}

/// Draws a list; returns the labels of the columns left out to fit.
pub(super) fn listing(out: &mut dyn Write, style: TableStyle, listing: &Listing) -> io::Result<Vec<String>> {
    let grid = listing_grid(listing, style);
    let mut text = String::new();
    let left_out = draw(&mut text, &grid, style);
    out.write_all(text.as_bytes())?;
    Ok(left_out)
}

/// Draws a record: its fields, then each of its lists under its label.
pub(super) fn record(out: &mut dyn Write, style: TableStyle, record: &Record) -> io::Result<Vec<String>> {
    let mut text = String::new();
    let mut left_out = draw(&mut text, &fields_grid(record, style), style);
    for (key, listing) in &record.sections {
        text.push('\n');
        text.push_str(&super::label(key));
        text.push('\n');
        if listing.is_empty() {
            text.push_str("  (none)\n");
        } else {
            for label in draw(&mut text, &listing_grid(listing, style), style) {
                if !left_out.contains(&label) {
                    left_out.push(label);
                }
            }
        }
    }
    out.write_all(text.as_bytes())?;
    Ok(left_out)
}

/// A sentence for a terminal `width` columns wide: broken at spaces, every line after the first
/// indented by `indent`; a word longer than a line stands whole on a line of its own. Off a
/// terminal (no width) the sentence is left as it is.
pub fn wrap_sentence(text: &str, width: Option<u16>, indent: usize) -> String {
    let Some(width) = width.map(usize::from).filter(|w| *w > 0) else { return text.to_string() };
    let lines = wrap_lines(text, width, width.saturating_sub(indent));
    let mut out = String::with_capacity(text.len() + lines.len() * (indent + 1));
    for (n, line) in lines.iter().enumerate() {
        if n > 0 {
            out.push('\n');
            if !line.is_empty() {
                out.extend(std::iter::repeat_n(' ', indent));
            }
        }
        out.push_str(line);
    }
    out
}

/// Text broken at spaces into lines of at most `first` columns, then `rest`; a word longer than
/// its line stands whole on a line of its own, and an empty first line means the text starts on
/// the next (it would not fit after what comes before it).
pub fn wrap_lines(text: &str, first: usize, rest: usize) -> Vec<String> {
    wrap(text, first, rest.max(1), Overlong::Whole).into_iter().map(Cow::into_owned).collect()
}

fn listing_grid(listing: &Listing, style: TableStyle) -> Grid {
    let columns = &listing.columns;
    Grid {
        labels: columns.iter().map(Column::label).collect(),
        right: columns.iter().map(|c| matches!(c.kind, Kind::Amount | Kind::Number)).collect(),
        leave_out: columns.iter().map(|c| c.leave_out).collect(),
        free: columns.iter().map(|c| c.kind == Kind::Text).collect(),
        word_kept: WORD_KEPT,
        rows: listing
            .rows
            .iter()
            .map(|row| columns.iter().zip(row).map(|(column, value)| cell(column, value, style)).collect())
            .collect(),
        header: true,
    }
}

/// A record's fields as a two-column table; empty fields are left out (they stay in CSV and
/// JSON as blanks and nulls).
fn fields_grid(record: &Record, style: TableStyle) -> Grid {
    let rows = record
        .fields
        .iter()
        .filter(|(_, value)| !matches!(value, Value::Null) && !matches!(value, Value::List(l) if l.is_empty()))
        .map(|(column, value)| {
            vec![Cell { text: column.label(), wrap: false, highlight: false }, cell(column, value, style)]
        })
        .collect();
    Grid {
        labels: vec!["Field".to_string(), "Value".to_string()],
        right: vec![false, false],
        leave_out: vec![None, None],
        free: vec![false, true],
        word_kept: RECORD_WORD_KEPT,
        rows,
        header: false,
    }
}

fn cell(column: &Column, value: &Value, style: TableStyle) -> Cell {
    let mut text = column.for_table(value);
    if text.contains('\t') {
        text = text.replace('\t', " ");
    }
    // A status of several words may break between them, as free text does.
    let wrap = matches!(column.kind, Kind::Text | Kind::Word) && matches!(value, Value::Text(_) | Value::List(_));
    let highlight = style.color && column.highlight && matches!(value, Value::Int(n) if *n > 0);
    Cell { text, wrap, highlight }
}

/// Fits and draws `grid` into `text`; returns the labels of the columns left out.
fn draw(text: &mut String, grid: &Grid, style: TableStyle) -> Vec<String> {
    let measures = measure(grid);
    match fit(&measures, &grid.leave_out, style.width.map(usize::from)) {
        Fit::Table { keep, widths } => {
            draw_table(text, grid, &keep, &widths, style);
            (0..grid.labels.len()).filter(|c| !keep.contains(c)).map(|c| grid.labels[c].clone()).collect()
        }
        Fit::Blocks => {
            draw_blocks(text, grid, style.width.map_or(usize::MAX, usize::from));
            Vec::new()
        }
    }
}

/// Every column's measure, in one pass over the rows.
fn measure(grid: &Grid) -> Vec<Measure> {
    let n = grid.labels.len();
    let mut min = vec![0; n];
    let mut natural = vec![0; n];
    let mut wrapped: Vec<Vec<usize>> = vec![Vec::new(); n];
    if grid.header {
        for (c, label) in grid.labels.iter().enumerate() {
            (min[c], natural[c]) = (longest_word(label), lines_width(label));
        }
    }
    for row in &grid.rows {
        for (c, cell) in row.iter().enumerate() {
            let width = lines_width(&cell.text);
            natural[c] = natural[c].max(width);
            if cell.wrap {
                min[c] = min[c].max(longest_word(&cell.text).min(grid.word_kept));
                wrapped[c].push(width);
            } else {
                min[c] = min[c].max(width);
            }
        }
    }
    (0..n)
        .map(|c| {
            let (min, text) = (min[c], !wrapped[c].is_empty());
            let natural = natural[c].max(min);
            let widths = &mut wrapped[c];
            let typical = if widths.is_empty() {
                natural
            } else {
                let at = (widths.len() * TYPICAL_PERCENT / 100).min(widths.len() - 1);
                *widths.select_nth_unstable(at).1
            };
            let comfort = if grid.free[c] && text { natural.min(min.max(TEXT_COMFORT)) } else { min };
            Measure { min, comfort, typical: typical.clamp(min, natural), natural, text }
        })
        .collect()
}

/// The arrangement of columns that fits `width`: see the module's documentation.
fn fit(measures: &[Measure], leave_out: &[Option<u8>], width: Option<usize>) -> Fit {
    let all: Vec<usize> = (0..measures.len()).collect();
    let Some(width) = width else {
        return Fit::Table { widths: measures.iter().map(|m| m.natural).collect(), keep: all };
    };
    let needed = |keep: &[usize], of: fn(&Measure) -> usize| {
        keep.iter().map(|&c| of(&measures[c])).sum::<usize>() + BORDER_PER_COLUMN * keep.len() + 1
    };
    // Leave out the least important columns (the lowest `leave_out`, the rightmost of equals)
    // until free text has room to read well; failing that, all of them, if that fits at all.
    let mut keep = all;
    let leave_next = |keep: &mut Vec<usize>| {
        let next = keep
            .iter()
            .enumerate()
            .filter_map(|(at, &c)| leave_out[c].map(|n| (n, at)))
            .min_by_key(|&(n, at)| (n, std::cmp::Reverse(at)));
        next.map(|(_, at)| keep.remove(at)).is_some()
    };
    while needed(&keep, |m| m.comfort) > width {
        if !leave_next(&mut keep) {
            break;
        }
    }
    if keep.is_empty() || needed(&keep, |m| m.min) > width {
        return Fit::Blocks;
    }
    let mut widths: Vec<usize> = keep.iter().map(|&c| measures[c].min).collect();
    let mut spare = width - needed(&keep, |m| m.min);
    let text: Vec<usize> = (0..keep.len()).filter(|&k| measures[keep[k]].text).collect();
    let other: Vec<usize> = (0..keep.len()).filter(|&k| !measures[keep[k]].text).collect();
    let typical: Vec<usize> = keep.iter().map(|&c| measures[c].typical).collect();
    let natural: Vec<usize> = keep.iter().map(|&c| measures[c].natural).collect();
    // Free text first (a narrow text column costs a line per row; a wrapped header, one line).
    share(&mut widths, &typical, &text, &mut spare);
    share(&mut widths, &natural, &text, &mut spare);
    share(&mut widths, &natural, &other, &mut spare);
    Fit::Table { keep, widths }
}

/// Raises the widths of `members` toward `targets`, sharing `spare` equally among those still
/// short of their target.
fn share(widths: &mut [usize], targets: &[usize], members: &[usize], spare: &mut usize) {
    let mut short: Vec<usize> = members.iter().copied().filter(|&k| widths[k] < targets[k]).collect();
    while *spare > 0 && !short.is_empty() {
        let each = (*spare / short.len()).max(1);
        for &k in &short {
            let given = each.min(targets[k] - widths[k]).min(*spare);
            widths[k] += given;
            *spare -= given;
        }
        short.retain(|&k| widths[k] < targets[k]);
    }
}

struct Glyphs {
    top: [char; 4],
    head: [char; 4],
    bottom: [char; 4],
    outer: char,
    inner: char,
}

const BOX: Glyphs = Glyphs {
    top: ['┌', '─', '┬', '┐'],
    head: ['╞', '═', '╪', '╡'],
    bottom: ['└', '─', '┴', '┘'],
    outer: '│',
    inner: '┆',
};

const ASCII: Glyphs = Glyphs {
    top: ['+', '-', '+', '+'],
    head: ['+', '=', '=', '+'],
    bottom: ['+', '-', '+', '+'],
    outer: '|',
    inner: '|',
};

fn rule(text: &mut String, widths: &[usize], [left, line, middle, right]: [char; 4]) {
    text.push(left);
    for (n, w) in widths.iter().enumerate() {
        if n > 0 {
            text.push(middle);
        }
        text.extend(std::iter::repeat_n(line, w + 2));
    }
    text.push(right);
    text.push('\n');
}

fn draw_table(text: &mut String, grid: &Grid, keep: &[usize], widths: &[usize], style: TableStyle) {
    let glyphs = if style.terminal { &BOX } else { &ASCII };
    let wrap_cells = style.width.is_some();
    rule(text, widths, glyphs.top);
    if grid.header {
        let header: Vec<Vec<Cow<str>>> =
            keep.iter().zip(widths).map(|(&c, &w)| wrap(&grid.labels[c], w, w, Overlong::Cut)).collect();
        row_lines(text, &header, keep, widths, grid, glyphs, &[]);
        rule(text, widths, glyphs.head);
    }
    for row in &grid.rows {
        let lines: Vec<Vec<Cow<str>>> = keep
            .iter()
            .zip(widths)
            .map(|(&c, &w)| {
                let cell = &row[c];
                if cell.wrap && wrap_cells {
                    wrap(&cell.text, w, w, Overlong::Cut)
                } else {
                    cell.text.split('\n').map(Cow::Borrowed).collect()
                }
            })
            .collect();
        let highlight: Vec<bool> = keep.iter().map(|&c| row[c].highlight).collect();
        row_lines(text, &lines, keep, widths, grid, glyphs, &highlight);
    }
    rule(text, widths, glyphs.bottom);
}

/// The lines of one row: each cell's lines side by side, padded to its column's width.
fn row_lines(
    text: &mut String,
    cells: &[Vec<Cow<str>>],
    keep: &[usize],
    widths: &[usize],
    grid: &Grid,
    glyphs: &Glyphs,
    highlight: &[bool],
) {
    let height = cells.iter().map(Vec::len).max().unwrap_or(1).max(1);
    for line in 0..height {
        text.push(glyphs.outer);
        for (k, lines) in cells.iter().enumerate() {
            if k > 0 {
                text.push(glyphs.inner);
            }
            let content = lines.get(line).map_or("", |l| l.as_ref());
            let pad = widths[k].saturating_sub(cols(content));
            let colour = highlight.get(k).copied().unwrap_or(false) && !content.is_empty();
            text.push(' ');
            if grid.right[keep[k]] {
                text.extend(std::iter::repeat_n(' ', pad));
            }
            if colour {
                text.push_str("\x1b[1;31m");
            }
            text.push_str(content);
            if colour {
                text.push_str("\x1b[0m");
            }
            if !grid.right[keep[k]] {
                text.extend(std::iter::repeat_n(' ', pad));
            }
            text.push(' ');
        }
        text.push(glyphs.outer);
        text.push('\n');
    }
}

/// One block per row (a record's fields: one block), `Label: value` lines, blocks apart by a
/// blank line. Nothing is cut: a value that cannot share a line with its label starts on the next.
fn draw_blocks(text: &mut String, grid: &Grid, width: usize) {
    for (n, row) in grid.rows.iter().enumerate() {
        if n > 0 && grid.header {
            text.push('\n');
        }
        let fields: Vec<(&str, &Cell)> = if grid.header {
            grid.labels.iter().map(String::as_str).zip(row).collect()
        } else {
            vec![(row[0].text.as_str(), &row[1])]
        };
        for (label, cell) in fields {
            if cell.text.is_empty() {
                continue;
            }
            block_lines(text, label, cell, width);
        }
    }
}

fn block_lines(text: &mut String, label: &str, cell: &Cell, width: usize) {
    let first = width.saturating_sub(cols(label) + 2);
    let rest = width.saturating_sub(BLOCK_INDENT).max(1);
    let lines = if cell.wrap {
        wrap(&cell.text, first, rest, Overlong::Whole)
    } else {
        let whole: Vec<Cow<str>> = cell.text.split('\n').map(Cow::Borrowed).collect();
        if lines_width(&cell.text) <= first || whole.len() > 1 || first >= rest {
            whole
        } else {
            std::iter::once(Cow::Borrowed("")).chain(whole).collect()
        }
    };
    text.push_str(label);
    text.push(':');
    for (n, line) in lines.iter().enumerate() {
        if n == 0 {
            if !line.is_empty() {
                text.push(' ');
                text.push_str(line);
            }
        } else {
            text.push('\n');
            text.extend(std::iter::repeat_n(' ', BLOCK_INDENT));
            text.push_str(line);
        }
    }
    text.push('\n');
}

/// What becomes of a word longer than its line.
#[derive(Clone, Copy, PartialEq)]
enum Overlong {
    /// Cut short with `…` (a table cell).
    Cut,
    /// Left whole, on a line of its own (a sentence, a block).
    Whole,
}

/// Lines of at most `first` columns for the first and `rest` for the others, broken at spaces;
/// a line break in the text is kept. A first line left empty means the text starts on the next.
fn wrap(text: &str, first: usize, rest: usize, overlong: Overlong) -> Vec<Cow<'_, str>> {
    let mut lines: Vec<Cow<str>> = Vec::new();
    for paragraph in text.split('\n') {
        let capacity = |lines: &Vec<Cow<str>>| if lines.is_empty() { first } else { rest };
        if cols(paragraph) <= capacity(&lines) {
            lines.push(Cow::Borrowed(paragraph));
            continue;
        }
        let mut line = String::new();
        let mut line_width = 0;
        for word in paragraph.split(' ').filter(|w| !w.is_empty()) {
            let word_width = cols(word);
            if !line.is_empty() && line_width + 1 + word_width <= capacity(&lines) {
                line.push(' ');
                line.push_str(word);
                line_width += 1 + word_width;
                continue;
            }
            if !line.is_empty() {
                lines.push(Cow::Owned(std::mem::take(&mut line)));
            } else if lines.is_empty() && word_width > first && word_width <= rest {
                // Too long to follow a label, short enough for a line of its own.
                lines.push(Cow::Borrowed(""));
            }
            let room = capacity(&lines);
            if word_width <= room || overlong == Overlong::Whole {
                line.push_str(word);
                line_width = word_width;
            } else {
                line = cut(word, room);
                line_width = cols(&line);
            }
        }
        lines.push(Cow::Owned(line));
    }
    lines
}

/// The start of `word` that fits `room` columns with `…`.
fn cut(word: &str, room: usize) -> String {
    if room == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in word.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > room - 1 {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

/// The columns `text` takes on a terminal (one line of it; control characters were escaped before).
fn cols(text: &str) -> usize {
    if text.is_ascii() { text.len() } else { text.width() }
}

/// The width of the widest line.
fn lines_width(text: &str) -> usize {
    text.split('\n').map(cols).max().unwrap_or(0)
}

fn longest_word(text: &str) -> usize {
    text.split([' ', '\n']).map(cols).max().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_wrap_at_spaces_and_a_long_word_is_cut_with_an_ellipsis() {
        assert_eq!(wrap("Discharge co-design", 10, 10, Overlong::Cut), ["Discharge", "co-design"]);
        assert_eq!(wrap("a verylongword b", 6, 6, Overlong::Cut), ["a", "veryl…", "b"]);
        assert_eq!(wrap("a verylongword b", 6, 6, Overlong::Whole), ["a", "verylongword", "b"]);
        assert_eq!(wrap("one\ntwo three", 20, 20, Overlong::Cut), ["one", "two three"]);
        // A first line shorter than the rest (after a label): a word that fits only the rest waits.
        assert_eq!(wrap("lee.wong@example.org", 5, 30, Overlong::Whole), ["", "lee.wong@example.org"]);
    }

    #[test]
    fn wide_characters_count_twice() {
        assert_eq!(wrap("日本語 テキスト", 8, 8, Overlong::Cut), ["日本語", "テキスト"]);
        assert_eq!(cut("日本語テキスト", 5), "日本…");
    }

    #[test]
    fn sentences_wrap_with_an_indent_and_keep_long_words_whole() {
        assert_eq!(wrap_sentence("warning: Sam Roy has no e-mail", Some(16), 2), "warning: Sam Roy\n  has no e-mail");
        assert_eq!(
            wrap_sentence("see https://example.org/a/long/path now", Some(10), 0),
            "see\nhttps://example.org/a/long/path\nnow"
        );
        assert_eq!(wrap_sentence("left as it is", None, 2), "left as it is");
    }

    fn measures(spec: &[(usize, usize, bool)]) -> Vec<Measure> {
        spec.iter()
            .map(|&(min, natural, text)| Measure { min, comfort: min, typical: natural, natural, text })
            .collect()
    }

    #[test]
    fn the_least_important_columns_are_left_out_first_then_blocks() {
        // id 2, date 10, text 12..40, region 8 (left out first), topics 12..30 (left out second)
        let m = measures(&[(2, 2, false), (10, 10, false), (12, 40, true), (8, 8, false), (12, 30, true)]);
        let leave = [None, None, None, Some(1), Some(2)];
        let Fit::Table { keep, widths } = fit(&m, &leave, Some(100)) else { panic!() };
        assert_eq!(keep, [0, 1, 2, 3, 4]);
        assert_eq!(widths.iter().sum::<usize>() + 3 * 5 + 1, 100);
        let Fit::Table { keep, .. } = fit(&m, &leave, Some(60)) else { panic!() };
        assert_eq!(keep, [0, 1, 2, 3, 4]);
        let Fit::Table { keep, .. } = fit(&m, &leave, Some(50)) else { panic!() };
        assert_eq!(keep, [0, 1, 2, 4]);
        let Fit::Table { keep, widths } = fit(&m, &leave, Some(34)) else { panic!() };
        assert_eq!((keep, widths), (vec![0, 1, 2], vec![2, 10, 12]));
        assert_eq!(fit(&m, &leave, Some(33)), Fit::Blocks);
    }

    #[test]
    fn spare_width_goes_to_free_text_first() {
        let m = measures(&[(10, 21, false), (12, 60, true)]);
        let Fit::Table { widths, .. } = fit(&m, &[None, None], Some(60)) else { panic!() };
        assert_eq!(widths, [10, 43]);
    }
}
