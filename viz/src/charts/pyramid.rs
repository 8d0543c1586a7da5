//! The prison population by age and sex in the first and last year (population pyramid).

use plotters::coord::Shift;
use plotters::prelude::*;

use crate::figure::{Chart, FONT, LABEL, SMALL, TITLE, colour, draw_legend, err, with_source};

/// Prisoners by 5-year age group (rows from the youngest) and sex, for two years.
#[derive(Clone, Debug)]
pub struct Pyramid {
    /// Age group labels.
    pub groups: Vec<String>,
    /// (year, males by group, females by group); first and last year.
    pub years: Vec<(i32, Vec<f64>, Vec<f64>)>,
    /// Source line.
    pub source: String,
    /// Language of the text.
    pub lang: crate::i18n::Lang,
}

impl Chart for Pyramid {
    fn name(&self) -> String {
        "prison_pyramid".into()
    }

    fn title(&self) -> String {
        let ys: Vec<String> = self.years.iter().map(|y| y.0.to_string()).collect();
        crate::t!(
            self.lang,
            "Prisoners by age and sex, {}",
            ys.join(crate::i18n::tr(self.lang, " and "))
        )
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let plot = with_source(area, &self.source)?;
        let n = self.groups.len().max(1);
        let max = self
            .years
            .iter()
            .flat_map(|(_, m, f)| m.iter().chain(f.iter()).copied())
            .fold(1.0f64, f64::max)
            * 1.1;
        let groups = self.groups.clone();
        let mut chart = ChartBuilder::on(&plot)
            .caption(self.title(), (FONT, TITLE))
            .margin(16)
            .x_label_area_size(60)
            .y_label_area_size(90)
            .build_cartesian_2d(-max..max, -0.5..n as f64 - 0.5)
            .map_err(err)?;
        chart
            .configure_mesh()
            .max_light_lines(crate::style::MINOR_GRID_LINES)
            .x_desc(crate::i18n::tr(
                self.lang,
                "Prisoners (men left, women right)",
            ))
            .y_desc(crate::i18n::tr(self.lang, "Age"))
            .y_labels(n)
            .y_label_formatter(&|v| crate::figure::row_label(&groups, *v, false))
            .x_label_formatter(&|v| crate::style::axis_number_in(v.abs(), self.lang))
            .label_style((FONT, SMALL))
            .axis_desc_style((FONT, LABEL))
            .disable_y_mesh()
            .draw()
            .map_err(err)?;
        for (k, (year, men, women)) in self.years.iter().enumerate() {
            let c = colour(k);
            let (h, fill) = if k == 0 { (0.4, true) } else { (0.25, false) };
            let style = if fill {
                c.mix(0.6).filled()
            } else {
                c.stroke_width(3)
            };
            let bars = men
                .iter()
                .enumerate()
                .map(|(i, v)| (i, -*v))
                .chain(women.iter().enumerate().map(|(i, v)| (i, *v)))
                // An empty group has no bar (an outline of width 0 would draw a tick at 0).
                .filter(|(_, v)| *v != 0.0);
            chart
                .draw_series(
                    bars.map(|(i, v)| {
                        Rectangle::new([(0.0, i as f64 - h), (v, i as f64 + h)], style)
                    }),
                )
                .map_err(err)?
                .label(year.to_string())
                .legend(move |(x, y)| Rectangle::new([(x, y - 6), (x + 20, y + 6)], style));
        }
        draw_legend(&mut chart, SMALL, SeriesLabelPosition::MiddleRight)?;
        Ok(())
    }
}
