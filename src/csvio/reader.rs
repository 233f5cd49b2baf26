//! A CSV record reader that knows where it is.
//!
//! Why not the `csv` crate's reader: its `Position::line()` is wrong for CRLF and CR-only files,
//! and it silently accepts a quote that is never closed (everything to the end of the file becomes
//! one field) and text after a closing quote (`"Jordan" Lee` becomes `Jordan Lee`). A sign-up import
//! must say on which physical line a bad row starts, and must not lose people to a stray quote, so
//! this reader is a small RFC 4180 state machine that counts CRLF, LF and a lone CR each as one
//! line break, inside quoted fields too, and reports the quoting problems it sees.
//!
//! Memory stays bounded whatever the file: a field keeps at most `max_field` bytes, a record at
//! most `max_record` bytes and `max_fields` fields; anything beyond is counted and flagged, not kept.

use std::io::{self, Read};

/// Something wrong with one record, found while reading it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flaw {
    /// Text follows a closing quote in this field: `"Jordan" Lee`.
    TextAfterQuote { field: usize },
    /// This field is longer than `max_field` bytes; the rest was not kept.
    FieldTooLong { field: usize },
    /// The record is longer than `max_record` bytes; the rest was not kept.
    RecordTooLong,
    /// The file ended inside a quoted field: the quote opened in this field was never closed.
    UnterminatedQuote { field: usize },
}

#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_field: usize,
    pub max_record: usize,
    pub max_fields: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { max_field: 64 * 1024, max_record: 1024 * 1024, max_fields: 1000 }
    }
}

/// One record as read: its fields' bytes, where it starts and ends, and what was wrong with it.
#[derive(Debug, Default, Clone)]
pub struct RawRecord {
    /// The physical line the record starts on (1-based).
    pub line: u64,
    /// The physical line it ends on (differs when a quoted field holds line breaks).
    pub end_line: u64,
    data: Vec<u8>,
    ends: Vec<usize>,
    /// How many fields the record has, even beyond `max_fields`.
    pub field_count: usize,
    /// The first flaw found, if any.
    pub flaw: Option<Flaw>,
}

impl RawRecord {
    /// An empty record with room for a typical sign-up row, so reading one does not grow its
    /// buffers from nothing.
    pub fn with_capacity(bytes: usize, fields: usize) -> RawRecord {
        RawRecord { data: Vec::with_capacity(bytes), ends: Vec::with_capacity(fields), ..RawRecord::default() }
    }

    /// The bytes the record can hold without growing.
    pub fn capacity(&self) -> usize {
        self.data.capacity()
    }

    /// The record's fields as text, when the whole record is valid UTF-8 (checked once; the
    /// fields split at ASCII delimiters, so each is too).
    pub fn text_fields(&self) -> Option<Vec<&str>> {
        let text = std::str::from_utf8(&self.data).ok()?;
        let mut start = 0;
        let mut out = Vec::with_capacity(self.ends.len());
        for &end in &self.ends {
            out.push(text.get(start..end)?);
            start = end;
        }
        Some(out)
    }

    /// The fields kept (at most `max_fields`).
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    pub fn field(&self, i: usize) -> Option<&[u8]> {
        let end = *self.ends.get(i)?;
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        self.data.get(start..end)
    }

    pub fn fields(&self) -> impl Iterator<Item = &[u8]> {
        (0..self.ends.len()).filter_map(|i| self.field(i))
    }

    /// Where each kept field ends in [`RawRecord::bytes`].
    pub fn ends(&self) -> &[usize] {
        &self.ends
    }

    /// All the bytes of the record's fields, one after the other.
    pub fn bytes(&self) -> &[u8] {
        &self.data
    }

    /// A blank line, a line of spaces or tabs, or a record of empty fields (`,,,,`).
    pub fn is_blank(&self) -> bool {
        self.flaw.is_none() && self.data.iter().all(|b| matches!(b, b' ' | b'\t'))
    }

    fn clear(&mut self) {
        self.data.clear();
        self.ends.clear();
        self.field_count = 0;
        self.flaw = None;
    }

    fn flag(&mut self, flaw: Flaw) {
        if self.flaw.is_none() {
            self.flaw = Some(flaw);
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    FieldStart,
    Unquoted,
    Quoted,
    /// A quote inside a quoted field: either the first of a doubled quote, or the closing one.
    QuoteInQuoted,
    /// After text followed a closing quote: the rest of the field is kept as written.
    AfterFlaw,
}

/// Counts the line breaks in `bytes`, which follow the bytes already consumed.
fn count_breaks(line: &mut u64, prev_cr: &mut bool, bytes: &[u8]) {
    for i in memchr::memchr2_iter(b'\r', b'\n', bytes) {
        if bytes[i] == b'\r' {
            *line += 1;
        } else {
            let after_cr = if i == 0 { *prev_cr } else { bytes[i - 1] == b'\r' };
            if !after_cr {
                *line += 1;
            }
        }
    }
    if let Some(&last) = bytes.last() {
        *prev_cr = last == b'\r';
    }
}

/// Keeps what the limits allow of a field's bytes, and flags what they do not.
fn push(rec: &mut RawRecord, field_len: &mut usize, limits: &Limits, bytes: &[u8]) {
    let field = rec.ends.len();
    let room_field = limits.max_field.saturating_sub(*field_len);
    let room_record = limits.max_record.saturating_sub(rec.data.len());
    let take = bytes.len().min(room_field).min(room_record);
    if take < bytes.len() {
        if room_field <= room_record {
            rec.flag(Flaw::FieldTooLong { field });
        } else {
            rec.flag(Flaw::RecordTooLong);
        }
    }
    rec.data.extend_from_slice(&bytes[..take]);
    *field_len += bytes.len();
}

pub struct Reader<R: Read> {
    src: R,
    buf: Box<[u8]>,
    pos: usize,
    len: usize,
    eof: bool,
    /// The physical line of the next byte.
    line: u64,
    /// The last byte consumed was a carriage return (a following LF is the same line break).
    prev_cr: bool,
    delimiter: u8,
    limits: Limits,
    /// Bytes taken from the source so far, for progress.
    consumed: u64,
    // Per record, while reading.
    field_len: usize,
}

impl<R: Read> Reader<R> {
    pub fn new(src: R, delimiter: u8, limits: Limits) -> Self {
        Reader {
            src,
            buf: vec![0u8; 256 * 1024].into_boxed_slice(),
            pos: 0,
            len: 0,
            eof: false,
            line: 1,
            prev_cr: false,
            delimiter,
            limits,
            consumed: 0,
            field_len: 0,
        }
    }

    /// Bytes read from the source so far.
    pub fn consumed(&self) -> u64 {
        self.consumed
    }

    fn fill(&mut self) -> io::Result<bool> {
        if self.pos < self.len {
            return Ok(true);
        }
        if self.eof {
            return Ok(false);
        }
        loop {
            match self.src.read(&mut self.buf) {
                Ok(0) => {
                    self.eof = true;
                    self.pos = 0;
                    self.len = 0;
                    return Ok(false);
                }
                Ok(n) => {
                    self.pos = 0;
                    self.len = n;
                    self.consumed += n as u64;
                    return Ok(true);
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            }
        }
    }

    fn end_field(&mut self, rec: &mut RawRecord) {
        rec.field_count += 1;
        if rec.ends.len() < self.limits.max_fields {
            rec.ends.push(rec.data.len());
        }
        self.field_len = 0;
    }

    /// Reads the next record into `rec`; `false` at the end of the file. Blank lines between records
    /// are skipped here (a line of spaces is returned, and [`RawRecord::is_blank`] says so).
    pub fn read(&mut self, rec: &mut RawRecord) -> io::Result<bool> {
        rec.clear();
        // Line breaks before the record: blank lines, or the LF of the previous record's CRLF.
        loop {
            if !self.fill()? {
                return Ok(false);
            }
            let b = self.buf[self.pos];
            if b == b'\n' {
                if !self.prev_cr {
                    self.line += 1;
                }
                self.prev_cr = false;
            } else if b == b'\r' {
                self.line += 1;
                self.prev_cr = true;
            } else {
                break;
            }
            self.pos += 1;
        }
        rec.line = self.line;
        self.field_len = 0;
        let delimiter = self.delimiter;
        let mut state = State::FieldStart;
        loop {
            if !self.fill()? {
                // End of file ends the record.
                if state == State::Quoted {
                    let field = rec.ends.len();
                    rec.flag(Flaw::UnterminatedQuote { field });
                }
                self.end_field(rec);
                rec.end_line = self.line;
                return Ok(true);
            }
            match state {
                State::FieldStart => {
                    let b = self.buf[self.pos];
                    if b == b'"' {
                        self.pos += 1;
                        self.prev_cr = false;
                        state = State::Quoted;
                    } else {
                        state = State::Unquoted;
                    }
                }
                State::Unquoted | State::AfterFlaw => {
                    let chunk = &self.buf[self.pos..self.len];
                    match memchr::memchr3(delimiter, b'\r', b'\n', chunk) {
                        None => {
                            push(rec, &mut self.field_len, &self.limits, chunk);
                            self.pos = self.len;
                            self.prev_cr = false;
                        }
                        Some(i) => {
                            let b = chunk[i];
                            push(rec, &mut self.field_len, &self.limits, &chunk[..i]);
                            self.pos += i + 1;
                            if b == delimiter {
                                self.prev_cr = false;
                                self.end_field(rec);
                                state = State::FieldStart;
                            } else {
                                self.end_field(rec);
                                rec.end_line = self.line;
                                // Count the terminator; a CRLF's LF is skipped by the next read.
                                self.line += 1;
                                self.prev_cr = b == b'\r';
                                return Ok(true);
                            }
                        }
                    }
                }
                State::Quoted => {
                    let chunk = &self.buf[self.pos..self.len];
                    let (taken, found) = match memchr::memchr(b'"', chunk) {
                        None => (chunk.len(), false),
                        Some(i) => (i, true),
                    };
                    let text = &chunk[..taken];
                    count_breaks(&mut self.line, &mut self.prev_cr, text);
                    push(rec, &mut self.field_len, &self.limits, text);
                    self.pos += taken;
                    if found {
                        self.pos += 1;
                        self.prev_cr = false;
                        state = State::QuoteInQuoted;
                    }
                }
                State::QuoteInQuoted => {
                    let b = self.buf[self.pos];
                    if b == b'"' {
                        push(rec, &mut self.field_len, &self.limits, b"\"");
                        self.pos += 1;
                        state = State::Quoted;
                    } else if b == delimiter {
                        self.pos += 1;
                        self.end_field(rec);
                        state = State::FieldStart;
                    } else if b == b'\r' || b == b'\n' {
                        self.pos += 1;
                        self.end_field(rec);
                        rec.end_line = self.line;
                        self.line += 1;
                        self.prev_cr = b == b'\r';
                        return Ok(true);
                    } else {
                        let field = rec.ends.len();
                        rec.flag(Flaw::TextAfterQuote { field });
                        state = State::AfterFlaw;
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(input: &[u8]) -> Vec<(u64, Vec<String>, Option<Flaw>)> {
        let mut reader = Reader::new(input, b',', Limits::default());
        let mut rec = RawRecord::default();
        let mut out = Vec::new();
        while reader.read(&mut rec).unwrap() {
            let fields = rec.fields().map(|f| String::from_utf8_lossy(f).into_owned()).collect();
            out.push((rec.line, fields, rec.flaw));
        }
        out
    }

    fn lines(input: &[u8]) -> Vec<u64> {
        all(input).into_iter().map(|r| r.0).collect()
    }

    #[test]
    fn counts_lines_for_every_kind_of_line_end() {
        assert_eq!(lines(b"h\na\nb\n"), [1, 2, 3]);
        assert_eq!(lines(b"h\r\na\r\nb\r\n"), [1, 2, 3]);
        assert_eq!(lines(b"h\ra\rb\r"), [1, 2, 3]);
        assert_eq!(lines(b"h\r\n\r\n\r\na\nb"), [1, 4, 5]);
        assert_eq!(lines(b"h\n\"x\r\ny\"\nz\n"), [1, 2, 4]);
        assert_eq!(lines(b"h\r\"x\ry\"\rz\r"), [1, 2, 4]);
        assert_eq!(lines(b"h\n\"x\r\n\r\ny\",q\r\nz"), [1, 2, 5]);
    }

    #[test]
    fn reads_quotes_as_rfc_4180_says() {
        let got = all(b"a,\"b,c\",\"d\"\"e\",\"\"\n");
        assert_eq!(got[0].1, ["a", "b,c", "d\"e", ""]);
        assert_eq!(got[0].2, None);
        // Quotes inside an unquoted field are text.
        assert_eq!(all(b"Robert \"Bob\",x\n")[0].1, ["Robert \"Bob\"", "x"]);
        assert_eq!(all(b"a, \"Cancer care\"\n")[0].1, ["a", " \"Cancer care\""]);
    }

    #[test]
    fn flags_text_after_a_closing_quote() {
        let got = all(b"h\n\"Jordan\" Lee,x\n");
        assert_eq!(got[1].1, ["Jordan Lee", "x"]);
        assert_eq!(got[1].2, Some(Flaw::TextAfterQuote { field: 0 }));
    }

    #[test]
    fn flags_a_quote_never_closed() {
        let got = all(b"h,c\na,\"Yes\nb,c\nd,e\n");
        assert_eq!(got.len(), 2);
        assert_eq!(got[1].0, 2);
        assert_eq!(got[1].2, Some(Flaw::UnterminatedQuote { field: 1 }));
    }

    #[test]
    fn keeps_memory_bounded() {
        let limits = Limits { max_field: 4, max_record: 10, max_fields: 3 };
        let mut reader = Reader::new(&b"abcdefgh,x\n,,,,,,\nabc,abc,abc,abc\n"[..], b',', limits);
        let mut rec = RawRecord::default();
        assert!(reader.read(&mut rec).unwrap());
        assert_eq!(rec.field(0), Some(&b"abcd"[..]));
        assert_eq!(rec.flaw, Some(Flaw::FieldTooLong { field: 0 }));
        assert!(reader.read(&mut rec).unwrap());
        assert_eq!((rec.len(), rec.field_count), (3, 7));
        assert!(rec.is_blank());
        assert!(reader.read(&mut rec).unwrap());
        assert_eq!(rec.flaw, Some(Flaw::RecordTooLong));
        assert!(!reader.read(&mut rec).unwrap());
    }

    #[test]
    fn reads_across_buffer_boundaries() {
        // A record longer than the buffer, with a CRLF split across two reads.
        let long = "x".repeat(300 * 1024);
        let input = format!("h\r\n\"{long}\r\n{long}\",b\r\nlast\r\n");
        let limits = Limits { max_field: 1 << 20, max_record: 1 << 21, max_fields: 10 };
        let mut reader = Reader::new(input.as_bytes(), b',', limits);
        let mut rec = RawRecord::default();
        let mut starts = Vec::new();
        while reader.read(&mut rec).unwrap() {
            starts.push(rec.line);
        }
        assert_eq!(starts, [1, 2, 4]);
    }
}
