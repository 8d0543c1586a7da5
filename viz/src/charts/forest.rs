//! Intervention comparison: the effect of each arm on each headline indicator at a checkpoint,
//! as a relative difference from the baseline with its 90% interval (forest plot); and the cost
//! per homicide averted by arm.

use plotters::coord::Shift;
use plotters::prelude::*;

use crate::figure::{Chart, FONT, LABEL, SMALL, TITLE, err, labelled_rows, range, with_source};
use crate::i18n::tr;
use crate::style::{LINE, arm_colour, axis_number_in};
use crate::t;

/// One row of the forest plot.
#[derive(Clone, Debug, PartialEq)]
pub struct Effect {
    /// Arm.
    pub arm: String,
    /// Indicator label.
    pub indicator: String,
    /// Median relative difference from the baseline (%).
    pub median: f64,
    /// 5th and 95th percentiles (%).
    pub interval: (f64, f64),
}

/// The forest plot of one checkpoint year.
#[derive(Clone, Debug)]
pub struct Forest {
    /// Checkpoint year.
    pub year: i32,
    /// Rows, top to bottom.
    pub rows: Vec<Effect>,
    /// Source line.
    pub source: String,
    /// Language of the text.
    pub lang: crate::i18n::Lang,
}

impl Chart for Forest {
    fn name(&self) -> String {
        format!("comparison_{}", self.year)
    }

    fn title(&self) -> String {
        t!(
            self.lang,
            "Effect of each arm in {} (% of baseline, 90% confidence interval of the mean)",
            self.year
        )
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let plot = with_source(area, &self.source)?;
        let n = self.rows.len().max(1);
        let (lo, hi) = range(
            self.rows
                .iter()
                .flat_map(|r| [r.interval.0, r.interval.1, r.median]),
            true,
        );
        let labels: Vec<String> = self
            .rows
            .iter()
            .map(|r| format!("{}: {}", r.arm, r.indicator))
            .collect();
        let mut chart = labelled_rows(
            &plot,
            &self.title(),
            tr(self.lang, "Difference from baseline (%)"),
            &labels,
            (lo, hi),
            420,
        )?;
        chart
            .draw_series(std::iter::once(PathElement::new(
                vec![(0.0, -0.5), (0.0, n as f64 - 0.5)],
                BLACK.stroke_width(2),
            )))
            .map_err(err)?;
        let arms: Vec<&String> = {
            let mut a: Vec<&String> = Vec::new();
            for r in &self.rows {
                if !a.contains(&&r.arm) {
                    a.push(&r.arm);
                }
            }
            a
        };
        for (i, r) in self.rows.iter().enumerate() {
            let y = (n - 1 - i) as f64;
            // The baseline is arm 0 in every chart; the forest shows the others from 1 on.
            let c = arm_colour(arms.iter().position(|a| **a == r.arm).unwrap_or(0) + 1);
            if r.interval.0.is_finite() && r.interval.1.is_finite() {
                chart
                    .draw_series(std::iter::once(PathElement::new(
                        vec![(r.interval.0, y), (r.interval.1, y)],
                        c.stroke_width(LINE),
                    )))
                    .map_err(err)?;
            }
            if r.median.is_finite() {
                chart
                    .draw_series(std::iter::once(Circle::new((r.median, y), 8, c.filled())))
                    .map_err(err)?;
            }
        }
        Ok(())
    }
}

/// Cost per homicide averted by arm at a checkpoint: net of the justice system's savings and
/// discounted when the comparison holds those figures.
#[derive(Clone, Debug)]
pub struct CostPerHomicide {
    /// Checkpoint year.
    pub year: i32,
    /// (arm, cost, its 90% confidence interval; NaN when not estimable).
    pub arms: Vec<(String, f64, (f64, f64))>,
    /// Whether the costs are net of the change in police, court and prison costs.
    pub net: bool,
    /// The unit of costs ("USD, 2024 prices").
    pub unit: String,
    /// Source line.
    pub source: String,
    /// Language of the text.
    pub lang: crate::i18n::Lang,
}

impl Chart for CostPerHomicide {
    fn name(&self) -> String {
        format!("cost_per_homicide_averted_{}", self.year)
    }

    fn title(&self) -> String {
        if self.net {
            t!(
                self.lang,
                "Net cost per homicide averted, cumulative to {}",
                self.year
            )
        } else {
            t!(
                self.lang,
                "Cost per homicide averted, cumulative to {}",
                self.year
            )
        }
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let plot = with_source(area, &self.source)?;
        let n = self.arms.len().max(1);
        let (_, hi) = range(
            self.arms.iter().flat_map(|a| [a.1, a.2.1].into_iter()),
            true,
        );
        let labels: Vec<String> = self.arms.iter().map(|a| a.0.clone()).collect();
        let mut chart = ChartBuilder::on(&plot)
            .caption(self.title(), (FONT, TITLE))
            .margin(16)
            .x_label_area_size(60)
            .y_label_area_size(220)
            .build_cartesian_2d(0.0..hi, -0.5..n as f64 - 0.5)
            .map_err(err)?;
        chart
            .configure_mesh()
            .max_light_lines(crate::style::MINOR_GRID_LINES)
            .x_desc(if self.net {
                t!(
                    self.lang,
                    "Net cost per homicide averted, with its 90% confidence interval ({}, discounted)",
                    self.unit
                )
            } else {
                t!(self.lang, "Cost per homicide averted ({})", self.unit)
            })
            .y_labels(n)
            .y_label_formatter(&|v| crate::figure::row_label(&labels, *v, false))
            .x_label_formatter(&|v| axis_number_in(*v, self.lang))
            .label_style((FONT, SMALL))
            .axis_desc_style((FONT, LABEL))
            .disable_y_mesh()
            .draw()
            .map_err(err)?;
        for (i, (arm, cost, (lo, hi))) in self.arms.iter().enumerate() {
            let y = i as f64;
            if cost.is_finite() {
                chart
                    .draw_series(std::iter::once(Rectangle::new(
                        [(0.0, y - 0.3), (*cost, y + 0.3)],
                        arm_colour(i + 1).filled(),
                    )))
                    .map_err(err)?;
                if lo.is_finite() && hi.is_finite() {
                    chart
                        .draw_series(std::iter::once(PathElement::new(
                            vec![(*lo, y), (*hi, y)],
                            BLACK.stroke_width(LINE),
                        )))
                        .map_err(err)?;
                }
            } else {
                chart
                    .draw_series(std::iter::once(Text::new(
                        format!("{arm}: not estimable (no homicide averted with confidence)"),
                        (hi * 0.02, y),
                        (FONT, SMALL),
                    )))
                    .map_err(err)?;
            }
        }
        Ok(())
    }
}
