//! `results.parquet`: the long results table in Apache Parquet, written with the low-level
//! column writer of the `parquet` crate (no Arrow), Snappy-compressed, one row group per ~1M
//! rows so memory stays bounded however large the sweep.
//!
//! Columns: `point` (int64), `replication` (int32), `seed` (int64), one column per factor
//! (double, or UTF-8 string for named levels), `indicator` (UTF-8, dictionary-encoded),
//! `year` (int32), `value` (double, null where the indicator is undefined that year).

use std::fs::File;
use std::path::Path;
use std::sync::Arc;

use parquet::basic::{Compression, LogicalType, Repetition, Type as Physical};
use parquet::data_type::{ByteArray, ByteArrayType, DoubleType, Int32Type, Int64Type};
use parquet::file::metadata::KeyValue;
use parquet::file::properties::WriterProperties;
use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::file::writer::SerializedFileWriter;
use parquet::record::Field;
use parquet::schema::types::Type;

use super::Manifest;
use super::spec::{Domain, Level};
use super::store::RunRecord;
use crate::error::{CliError, CliResult};

/// Rows per row group.
const ROW_GROUP_ROWS: usize = 1 << 20;

fn column(name: &str, physical: Physical, repetition: Repetition, text: bool) -> Arc<Type> {
    let mut b = Type::primitive_type_builder(name, physical).with_repetition(repetition);
    if text {
        b = b.with_logical_type(Some(LogicalType::String));
    }
    Arc::new(b.build().expect("valid column type"))
}

fn schema(m: &Manifest) -> Arc<Type> {
    let mut fields = vec![
        column("point", Physical::INT64, Repetition::REQUIRED, false),
        column("replication", Physical::INT32, Repetition::REQUIRED, false),
        column("seed", Physical::INT64, Repetition::REQUIRED, false),
    ];
    for f in &m.design.factors {
        let text = matches!(&f.domain, Domain::Levels(l) if matches!(l[0], Level::Text(_)));
        fields.push(if text {
            column(&f.name, Physical::BYTE_ARRAY, Repetition::REQUIRED, true)
        } else {
            column(&f.name, Physical::DOUBLE, Repetition::REQUIRED, false)
        });
    }
    fields.push(column(
        "indicator",
        Physical::BYTE_ARRAY,
        Repetition::REQUIRED,
        true,
    ));
    fields.push(column("year", Physical::INT32, Repetition::REQUIRED, false));
    fields.push(column(
        "value",
        Physical::DOUBLE,
        Repetition::OPTIONAL,
        false,
    ));
    Arc::new(
        Type::group_type_builder("cjsim_sweep")
            .with_fields(fields)
            .build()
            .expect("valid schema"),
    )
}

fn err(path: &Path, e: impl std::fmt::Display) -> CliError {
    CliError::Internal(format!("cannot write {}: {e}", path.display()))
}

/// Writes the long table of `runs` (in the order given) to `path`.
pub fn write(path: &Path, m: &Manifest, runs: &[&RunRecord]) -> CliResult<()> {
    let file = File::create(path).map_err(|e| err(path, e))?;
    let props = WriterProperties::builder()
        .set_compression(Compression::SNAPPY)
        .set_created_by(format!("cjsim {}", env!("CARGO_PKG_VERSION")))
        .set_key_value_metadata(Some(vec![KeyValue::new(
            "cjsim.sweep".into(),
            m.design.name.clone(),
        )]))
        .build();
    let mut writer =
        SerializedFileWriter::new(file, schema(m), Arc::new(props)).map_err(|e| err(path, e))?;
    let per_run = m.design.indicators.len() * m.design.report_years.len();
    let runs_per_group = (ROW_GROUP_ROWS / per_run.max(1)).max(1);
    for group in runs.chunks(runs_per_group) {
        let mut rg = writer.next_row_group().map_err(|e| err(path, e))?;
        let rows = group.len() * per_run;
        let repeat = |f: &dyn Fn(&RunRecord) -> i64| -> Vec<i64> {
            group
                .iter()
                .flat_map(|r| std::iter::repeat_n(f(r), per_run))
                .collect()
        };
        let mut col = 0usize;
        while let Some(mut c) = rg.next_column().map_err(|e| err(path, e))? {
            let factors = m.design.factors.len();
            match col {
                0 => {
                    let v = repeat(&|r| r.point as i64);
                    c.typed::<Int64Type>().write_batch(&v, None, None)
                }
                1 => {
                    let v: Vec<i32> = repeat(&|r| i64::from(r.replication))
                        .into_iter()
                        .map(|x| x as i32)
                        .collect();
                    c.typed::<Int32Type>().write_batch(&v, None, None)
                }
                2 => {
                    let v = repeat(&|r| r.seed as i64);
                    c.typed::<Int64Type>().write_batch(&v, None, None)
                }
                i if i < 3 + factors => {
                    let values = &m.design.values;
                    let f = i - 3;
                    let levels: Vec<&Level> = group
                        .iter()
                        .flat_map(|r| std::iter::repeat_n(&values[r.point as usize][f], per_run))
                        .collect();
                    if let Some(Level::Text(_)) = levels.first() {
                        let v: Vec<ByteArray> = levels
                            .iter()
                            .map(|l| ByteArray::from(l.cell().as_str()))
                            .collect();
                        c.typed::<ByteArrayType>().write_batch(&v, None, None)
                    } else {
                        let v: Vec<f64> = levels
                            .iter()
                            .map(|l| match l {
                                Level::Number(x) => *x,
                                Level::Text(_) => f64::NAN,
                            })
                            .collect();
                        c.typed::<DoubleType>().write_batch(&v, None, None)
                    }
                }
                i if i == 3 + factors => {
                    let names: Vec<ByteArray> = m
                        .design
                        .indicators
                        .iter()
                        .flat_map(|n| std::iter::repeat_n(n.as_str(), m.design.report_years.len()))
                        .map(ByteArray::from)
                        .collect();
                    let v: Vec<ByteArray> = (0..group.len()).flat_map(|_| names.clone()).collect();
                    c.typed::<ByteArrayType>().write_batch(&v, None, None)
                }
                i if i == 4 + factors => {
                    let years = &m.design.report_years;
                    let v: Vec<i32> = (0..rows).map(|i| years[i % years.len()]).collect();
                    c.typed::<Int32Type>().write_batch(&v, None, None)
                }
                _ => {
                    let all: Vec<f64> = group
                        .iter()
                        .flat_map(|r| r.values.iter().copied())
                        .collect();
                    let def: Vec<i16> = all.iter().map(|x| i16::from(!x.is_nan())).collect();
                    let present: Vec<f64> = all.into_iter().filter(|x| !x.is_nan()).collect();
                    c.typed::<DoubleType>()
                        .write_batch(&present, Some(&def), None)
                }
            }
            .map_err(|e| err(path, e))?;
            c.close().map_err(|e| err(path, e))?;
            col += 1;
        }
        rg.close().map_err(|e| err(path, e))?;
    }
    writer.close().map_err(|e| err(path, e))?;
    Ok(())
}

/// Reads a results table back as (header, rows of cells), cells formatted like `results.csv`
/// (numbers in shortest round-trip form, nulls empty). For checks and tests.
pub fn read(path: &Path) -> CliResult<(Vec<String>, Vec<Vec<String>>)> {
    let bad = |e: &dyn std::fmt::Display| {
        CliError::BadInput(format!("cannot read {}: {e}", path.display()))
    };
    let file = File::open(path).map_err(|e| bad(&e))?;
    let reader = SerializedFileReader::new(file).map_err(|e| bad(&e))?;
    let header: Vec<String> = reader
        .metadata()
        .file_metadata()
        .schema_descr()
        .columns()
        .iter()
        .map(|c| c.name().to_string())
        .collect();
    let mut rows = Vec::new();
    for row in reader.get_row_iter(None).map_err(|e| bad(&e))? {
        let row = row.map_err(|e| bad(&e))?;
        rows.push(
            row.get_column_iter()
                .map(|(_, f)| match f {
                    Field::Null => String::new(),
                    Field::Int(x) => x.to_string(),
                    Field::Long(x) => x.to_string(),
                    Field::Double(x) => format!("{x}"),
                    Field::Str(s) => s.clone(),
                    other => other.to_string(),
                })
                .collect(),
        );
    }
    Ok((header, rows))
}
