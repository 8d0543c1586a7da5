//! The results of a run or comparison held in memory: named tables with typed columns and the
//! JSON and Markdown documents beside them. The command line builds one, writes it as a result
//! folder (each table as CSV, by [`Table::to_csv`]) and draws the report from it; the dashboard
//! draws from it without touching the disk; `cjsim report` reads a folder back into one.
//!
//! **Architecture Invariant:** a number is stored exactly as its CSV cell will read back
//! ([`canonical`]), so charts drawn from memory and charts redrawn from the written folder are
//! the same bytes.

use std::borrow::Cow;
use std::path::Path;

use crate::data::VizError;

/// Largest file a result folder may hold for `cjsim report` to read it (1 GiB): far above any
/// table cjsim writes, and checked before reading.
pub const MAX_FILE_BYTES: u64 = 1 << 30;

/// Refuses a file larger than [`MAX_FILE_BYTES`] before reading it.
fn check_size(path: &Path) -> Result<(), VizError> {
    let unreadable = |reason: String| VizError::Unreadable {
        file: path.display().to_string(),
        reason,
    };
    let size = std::fs::metadata(path)
        .map_err(|e| unreadable(e.to_string()))?
        .len();
    if size > MAX_FILE_BYTES {
        return Err(unreadable(format!(
            "{size} bytes, more than the {MAX_FILE_BYTES} a result file may hold"
        )));
    }
    Ok(())
}

/// Formats a number as a table cell: whole numbers without a decimal point, others rounded to
/// six decimals, NaN as an empty cell. The same bits give the same text on every machine.
pub fn fmt_cell(x: f64) -> String {
    if x.is_nan() {
        String::new()
    } else if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        let r = (x * 1e6).round() / 1e6;
        if r.fract() == 0.0 && r.abs() < 1e15 {
            format!("{}", r as i64)
        } else {
            format!("{r}")
        }
    }
}

/// The value a cell written by [`fmt_cell`] reads back as: what memory holds.
pub fn canonical(x: f64) -> f64 {
    if x.is_nan() {
        return f64::NAN;
    }
    let whole = |v: f64| v.fract() == 0.0 && v.abs() < 1e15;
    let v = if whole(x) { x } else { (x * 1e6).round() / 1e6 };
    // "-0" reads back as 0.
    if v == 0.0 { 0.0 } else { v }
}

/// Quotes a CSV field when it contains a comma, quote or newline.
pub fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// The cells of one column.
#[derive(Clone, Debug, PartialEq)]
pub enum Cells {
    /// Numbers (NaN is an empty cell), stored as [`canonical`] values.
    Numbers(Vec<f64>),
    /// Text.
    Texts(Vec<String>),
}

impl Cells {
    fn push_text(&mut self, s: String) {
        match self {
            Cells::Texts(v) => v.push(s),
            Cells::Numbers(v) => {
                // A column that turns out to hold text keeps its numbers as their cells.
                let mut t: Vec<String> = v.iter().map(|x| fmt_cell(*x)).collect();
                t.push(s);
                *self = Cells::Texts(t);
            }
        }
    }

    fn push_number(&mut self, x: f64) {
        match self {
            Cells::Numbers(v) => v.push(canonical(x)),
            Cells::Texts(v) => v.push(fmt_cell(x)),
        }
    }
}

/// One cell of a row being added.
#[derive(Clone, Debug)]
pub enum Cell<'a> {
    /// A number.
    Number(f64),
    /// Text.
    Text(Cow<'a, str>),
}

impl From<f64> for Cell<'_> {
    fn from(x: f64) -> Self {
        Cell::Number(x)
    }
}

impl From<i32> for Cell<'_> {
    fn from(x: i32) -> Self {
        Cell::Number(f64::from(x))
    }
}

impl From<usize> for Cell<'_> {
    fn from(x: usize) -> Self {
        Cell::Number(x as f64)
    }
}

impl From<Option<f64>> for Cell<'_> {
    fn from(x: Option<f64>) -> Self {
        Cell::Number(x.unwrap_or(f64::NAN))
    }
}

impl<'a> From<&'a str> for Cell<'a> {
    fn from(s: &'a str) -> Self {
        Cell::Text(Cow::Borrowed(s))
    }
}

impl From<String> for Cell<'_> {
    fn from(s: String) -> Self {
        Cell::Text(Cow::Owned(s))
    }
}

/// A table: a header and one typed column per name, all of the same length.
#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    /// File label for errors (`out/x/comparison.csv`, or the file name for a table in memory).
    pub file: String,
    /// Column names.
    pub header: Vec<String>,
    columns: Vec<Cells>,
    len: usize,
}

impl Table {
    /// An empty table with the given columns; a column's type is set by its first cell.
    pub fn new(file: &str, header: &[&str]) -> Table {
        Table {
            file: file.to_string(),
            header: header.iter().map(|h| h.to_string()).collect(),
            columns: header.iter().map(|_| Cells::Numbers(Vec::new())).collect(),
            len: 0,
        }
    }

    /// Appends a row. Cells beyond the header are ignored; missing ones are empty.
    pub fn push<'a>(&mut self, row: impl IntoIterator<Item = Cell<'a>>) {
        let mut row = row.into_iter();
        for col in &mut self.columns {
            let cell = row.next();
            if self.len == 0 && matches!(cell, Some(Cell::Text(_))) {
                *col = Cells::Texts(Vec::new());
            }
            match cell {
                Some(Cell::Number(x)) => col.push_number(x),
                Some(Cell::Text(s)) => col.push_text(s.into_owned()),
                None => col.push_number(f64::NAN),
            }
        }
        self.len += 1;
    }

    /// Rows.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the table has no rows.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The cells of column `c`.
    pub fn cells(&self, c: usize) -> &Cells {
        &self.columns[c]
    }

    /// Reads `dir/name` as CSV (every column text, parsed on use).
    pub fn read(dir: &Path, name: &str, by: &'static str) -> Result<Table, VizError> {
        let path = dir.join(name);
        let file = path.display().to_string();
        let unreadable = |reason: String| VizError::Unreadable {
            file: file.clone(),
            reason,
        };
        if std::fs::metadata(&path).is_err() {
            return Err(VizError::Missing { file, by });
        }
        check_size(&path)?;
        let mut reader = csv::Reader::from_path(&path).map_err(|e| unreadable(e.to_string()))?;
        let header: Vec<String> = reader
            .headers()
            .map_err(|e| unreadable(e.to_string()))?
            .iter()
            .map(String::from)
            .collect();
        let mut columns: Vec<Vec<String>> = vec![Vec::new(); header.len()];
        let mut len = 0;
        for r in reader.records() {
            let r = r.map_err(|e| unreadable(e.to_string()))?;
            for (k, col) in columns.iter_mut().enumerate() {
                col.push(r.get(k).unwrap_or("").to_string());
            }
            len += 1;
        }
        Ok(Table {
            file,
            header,
            columns: columns.into_iter().map(Cells::Texts).collect(),
            len,
        })
    }

    /// Index of a column.
    pub fn column(&self, name: &str) -> Result<usize, VizError> {
        self.header
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| VizError::MissingColumn {
                file: self.file.clone(),
                column: name.to_string(),
            })
    }

    /// The number in row `i`, column `c` (empty cells are NaN).
    pub fn number(&self, i: usize, c: usize) -> Result<f64, VizError> {
        match &self.columns[c] {
            Cells::Numbers(v) => Ok(v[i]),
            Cells::Texts(v) => {
                let text = v[i].as_str();
                if text.is_empty() {
                    return Ok(f64::NAN);
                }
                text.parse().map_err(|_| VizError::BadNumber {
                    file: self.file.clone(),
                    line: i + 2,
                    column: self.header[c].clone(),
                    value: text.to_string(),
                })
            }
        }
    }

    /// The distinct whole values of column `c` (years), in the order they first appear.
    pub fn years(&self, c: usize) -> Result<Vec<i32>, VizError> {
        let mut years: Vec<i32> = Vec::new();
        for i in 0..self.len {
            let y = self.number(i, c)? as i32;
            if !years.contains(&y) {
                years.push(y);
            }
        }
        Ok(years)
    }

    /// The text in row `i`, column `c` (a number as its cell).
    pub fn text(&self, i: usize, c: usize) -> Cow<'_, str> {
        match &self.columns[c] {
            Cells::Numbers(v) => Cow::Owned(fmt_cell(v[i])),
            Cells::Texts(v) => Cow::Borrowed(v[i].as_str()),
        }
    }

    /// The table as CSV text: the header, then one line per row.
    pub fn to_csv(&self) -> String {
        let mut text = self.header.join(",");
        text.push('\n');
        for i in 0..self.len {
            for (k, col) in self.columns.iter().enumerate() {
                if k > 0 {
                    text.push(',');
                }
                match col {
                    Cells::Numbers(v) => text.push_str(&fmt_cell(v[i])),
                    Cells::Texts(v) => text.push_str(&csv_field(&v[i])),
                }
            }
            text.push('\n');
        }
        text
    }
}

/// One file of the results.
#[derive(Clone, Debug)]
enum Item {
    Table(Table),
    Document(String),
}

/// The tables and documents of one run or comparison, by file name, in the order they were
/// added.
#[derive(Clone, Debug, Default)]
pub struct Results {
    /// Where they came from, for messages (a folder, or "memory").
    pub origin: String,
    items: Vec<(String, Item)>,
}

impl Results {
    /// Empty results held in memory.
    pub fn new() -> Results {
        Results {
            origin: "memory".into(),
            items: Vec::new(),
        }
    }

    fn put(&mut self, name: &str, item: Item) {
        match self.items.iter_mut().find(|(n, _)| n == name) {
            Some(slot) => slot.1 = item,
            None => self.items.push((name.to_string(), item)),
        }
    }

    /// Adds (or replaces) the table `name` (`comparison.csv`).
    pub fn put_table(&mut self, name: &str, mut table: Table) {
        table.file = self.label(name);
        self.put(name, Item::Table(table));
    }

    /// Adds (or replaces) the document `name` (`run.json`, `scorecard.md`).
    pub fn put_document(&mut self, name: &str, text: String) {
        self.put(name, Item::Document(text));
    }

    /// The table `name`, or [`VizError::Missing`] naming the command that writes it.
    pub fn table(&self, name: &str, by: &'static str) -> Result<&Table, VizError> {
        self.get(name).ok_or_else(|| VizError::Missing {
            file: self.label(name),
            by,
        })
    }

    /// The table `name`, if present.
    pub fn get(&self, name: &str) -> Option<&Table> {
        self.items.iter().find_map(|(n, i)| match i {
            Item::Table(t) if n == name => Some(t),
            _ => None,
        })
    }

    /// The document `name`, if present.
    pub fn document(&self, name: &str) -> Option<&str> {
        self.items.iter().find_map(|(n, i)| match i {
            Item::Document(d) if n == name => Some(d.as_str()),
            _ => None,
        })
    }

    /// Names of the files, in the order they were added.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.items.iter().map(|(n, _)| n.as_str())
    }

    /// Every file as (name, content), tables as CSV, in the order they were added.
    pub fn files(&self) -> impl Iterator<Item = (&str, Cow<'_, str>)> {
        self.items.iter().map(|(n, i)| {
            let text = match i {
                Item::Table(t) => Cow::Owned(t.to_csv()),
                Item::Document(d) => Cow::Borrowed(d.as_str()),
            };
            (n.as_str(), text)
        })
    }

    /// How a file is named in messages: its path for results read from a folder.
    pub fn label(&self, name: &str) -> String {
        if self.origin == "memory" {
            name.to_string()
        } else {
            Path::new(&self.origin).join(name).display().to_string()
        }
    }

    /// Reads the tables (`*.csv`) and documents (`*.json`, `*.md`) at the top of a result
    /// folder. Each file is bounded by [`MAX_FILE_BYTES`]; other files are left alone.
    pub fn load(dir: &Path) -> Result<Results, VizError> {
        let origin = dir.display().to_string();
        let entries = std::fs::read_dir(dir).map_err(|e| VizError::Unreadable {
            file: origin.clone(),
            reason: e.to_string(),
        })?;
        let mut names: Vec<String> = entries
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
            .filter_map(|e| e.file_name().into_string().ok())
            .filter(|n| !n.starts_with('.'))
            .collect();
        names.sort();
        let mut results = Results {
            origin,
            items: Vec::new(),
        };
        for name in names {
            if name.ends_with(".csv") {
                let t = Table::read(dir, &name, "run or compare")?;
                results.put_table(&name, t);
            } else if name.ends_with(".json") || name.ends_with(".md") {
                let path = dir.join(&name);
                check_size(&path)?;
                let text = std::fs::read_to_string(&path).map_err(|e| VizError::Unreadable {
                    file: path.display().to_string(),
                    reason: e.to_string(),
                })?;
                results.put_document(&name, text);
            }
        }
        Ok(results)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_number_in_memory_equals_its_cell_read_back() {
        for x in [
            0.1 + 0.2,
            -2.5,
            12.0,
            1.0 / 3.0,
            123_456.789_012_345,
            -0.0,
            -1e-9,
            7.4e15 + 0.5,
            f64::INFINITY,
        ] {
            let back: f64 = fmt_cell(x).parse().unwrap();
            assert_eq!(canonical(x).to_bits(), back.to_bits(), "{x}");
        }
        assert!(canonical(f64::NAN).is_nan());
        assert_eq!(fmt_cell(f64::NAN), "");
    }

    #[test]
    fn a_table_writes_typed_cells_and_reads_back_the_same() {
        let mut t = Table::new("t.csv", &["arm", "year", "value", "note"]);
        t.push([
            Cell::from("a, b"),
            2030.into(),
            (1.0 / 3.0).into(),
            "".into(),
        ]);
        t.push([
            "plain".into(),
            2031.into(),
            Cell::Number(f64::NAN),
            "say \"x\"".into(),
        ]);
        let csv = t.to_csv();
        assert_eq!(
            csv,
            "arm,year,value,note\n\"a, b\",2030,0.333333,\nplain,2031,,\"say \"\"x\"\"\"\n"
        );
        let dir = std::env::temp_dir().join(format!("cjsim-viz-table-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("t.csv"), &csv).unwrap();
        let back = Table::read(&dir, "t.csv", "run").unwrap();
        for i in 0..2 {
            for c in 0..4 {
                assert_eq!(back.text(i, c), t.text(i, c));
            }
            assert_eq!(
                back.number(i, 2).unwrap().to_bits(),
                t.number(i, 2).unwrap().to_bits()
            );
        }
        assert_eq!(back.to_csv(), csv);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_missing_table_names_the_command_that_writes_it() {
        let r = Results::new();
        let e = r.table("comparison.csv", "compare").unwrap_err();
        assert_eq!(
            e.to_string(),
            "comparison.csv: missing (it is written by `cjsim compare`)"
        );
    }
}
