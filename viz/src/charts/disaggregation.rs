//! An indicator by group (SDG 16 reporting disaggregates by sex, age, region and displacement
//! status): four small panels of bars for one year, so that, for example, the displaced
//! population's victimisation shows next to the rest's.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::figure::{Chart, FONT, LABEL, SMALL, TITLE, err, with_source};
use crate::style::{arm_colour, axis_number_in};

/// One indicator's values by group in one year.
#[derive(Clone, Debug)]
pub struct Disaggregation {
    /// Indicator column.
    pub indicator: String,
    /// Title of the indicator.
    pub title: String,
    /// Its unit.
    pub unit: String,
    /// Year shown.
    pub year: i32,
    /// (dimension, [(group, value)]), in panel order.
    pub panels: Vec<(String, Vec<(String, f64)>)>,
    /// Source line.
    pub source: String,
    /// Language of the text.
    pub lang: crate::i18n::Lang,
}

/// How a dimension of `by_group.csv` is named on the chart.
fn dimension_title(d: &str, lang: crate::i18n::Lang) -> String {
    use crate::i18n::tr;
    match d {
        "sex" => tr(lang, "By sex").into(),
        "age_group" => tr(lang, "By age group").into(),
        "region" => tr(lang, "By region").into(),
        "displacement" => tr(lang, "Displaced or not").into(),
        other => other.replace('_', " "),
    }
}

/// A group's label: sexes and displacement status in words of `lang`; ages and region names
/// as they are.
fn group_label(g: &str, lang: crate::i18n::Lang) -> String {
    use crate::i18n::tr;
    match g {
        "male" => tr(lang, "male").into(),
        "female" => tr(lang, "female").into(),
        "displaced" => tr(lang, "displaced").into(),
        "not_displaced" => tr(lang, "not displaced").into(),
        other => other.replace('_', " "),
    }
}

impl Chart for Disaggregation {
    fn name(&self) -> String {
        format!("by_group_{}", self.indicator)
    }

    fn title(&self) -> String {
        crate::t!(self.lang, "{} by group, {}", self.title, self.year)
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let plot = with_source(area, &self.source)?;
        let plot = plot
            .margin(12, 0, 0, 0)
            .titled(&self.title(), (FONT, TITLE))
            .map_err(err)?;
        let cells = plot.split_evenly((2, 2));
        let colour = arm_colour(0);
        for (cell, (dimension, groups)) in cells.iter().zip(&self.panels) {
            let n = groups.len().max(1);
            let hi = groups
                .iter()
                .map(|g| g.1)
                .filter(|v| v.is_finite())
                .fold(0.0f64, f64::max)
                .max(1e-9)
                * 1.25;
            let labels: Vec<String> = groups
                .iter()
                .map(|g| group_label(&g.0, self.lang))
                .collect();
            let mut chart = ChartBuilder::on(cell)
                .caption(dimension_title(dimension, self.lang), (FONT, LABEL))
                .margin(12)
                .x_label_area_size(50)
                .y_label_area_size(170)
                .build_cartesian_2d(0.0..hi, -0.5..n as f64 - 0.5)
                .map_err(err)?;
            chart
                .configure_mesh()
                .max_light_lines(crate::style::MINOR_GRID_LINES)
                .x_desc(&self.unit)
                .x_labels(4)
                .x_label_formatter(&|v| axis_number_in(*v, self.lang))
                .y_labels(n)
                .y_label_formatter(&|v| crate::figure::row_label(&labels, *v, true))
                .label_style((FONT, SMALL))
                .axis_desc_style((FONT, SMALL))
                .disable_y_mesh()
                .draw()
                .map_err(err)?;
            for (i, (_, value)) in groups.iter().enumerate() {
                if !value.is_finite() {
                    continue;
                }
                let y = (n - 1 - i) as f64;
                chart
                    .draw_series(std::iter::once(Rectangle::new(
                        [(0.0, y - 0.35), (*value, y + 0.35)],
                        colour.mix(0.85).filled(),
                    )))
                    .map_err(err)?;
                chart
                    .draw_series(std::iter::once(Text::new(
                        axis_number_in(*value, self.lang),
                        (*value + hi * 0.01, y),
                        (FONT, SMALL)
                            .into_font()
                            .color(&BLACK)
                            .pos(Pos::new(HPos::Left, VPos::Center)),
                    )))
                    .map_err(err)?;
            }
        }
        Ok(())
    }
}
