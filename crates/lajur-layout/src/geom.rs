//! Points and rectangles in millimetres, y pointing down (as on paper and screen).

/// Millimetres per typographic point.
pub const MM_PER_PT: f32 = 25.4 / 72.0;

#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Pt {
    pub x: f32,
    pub y: f32,
}

pub const fn pt(x: f32, y: f32) -> Pt {
    Pt { x, y }
}

#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Rect {
    pub min: Pt,
    pub max: Pt,
}

impl Rect {
    pub fn from_min_size(min: Pt, w: f32, h: f32) -> Rect {
        Rect {
            min,
            max: pt(min.x + w, min.y + h),
        }
    }

    pub fn from_center_size(c: Pt, w: f32, h: f32) -> Rect {
        Rect {
            min: pt(c.x - w / 2.0, c.y - h / 2.0),
            max: pt(c.x + w / 2.0, c.y + h / 2.0),
        }
    }

    pub fn width(&self) -> f32 {
        self.max.x - self.min.x
    }

    pub fn height(&self) -> f32 {
        self.max.y - self.min.y
    }

    pub fn center(&self) -> Pt {
        pt(
            (self.min.x + self.max.x) / 2.0,
            (self.min.y + self.max.y) / 2.0,
        )
    }

    pub fn contains(&self, p: Pt) -> bool {
        p.x >= self.min.x && p.x <= self.max.x && p.y >= self.min.y && p.y <= self.max.y
    }

    /// True when the interiors overlap (touching edges do not count).
    pub fn overlaps(&self, other: &Rect) -> bool {
        self.min.x < other.max.x
            && other.min.x < self.max.x
            && self.min.y < other.max.y
            && other.min.y < self.max.y
    }

    pub fn expand(&self, by: f32) -> Rect {
        Rect {
            min: pt(self.min.x - by, self.min.y - by),
            max: pt(self.max.x + by, self.max.y + by),
        }
    }

    pub fn union(&self, other: &Rect) -> Rect {
        Rect {
            min: pt(self.min.x.min(other.min.x), self.min.y.min(other.min.y)),
            max: pt(self.max.x.max(other.max.x), self.max.y.max(other.max.y)),
        }
    }

    /// The smallest rectangle holding all points.
    pub fn bounding(points: &[Pt]) -> Rect {
        let mut r = Rect {
            min: pt(f32::MAX, f32::MAX),
            max: pt(f32::MIN, f32::MIN),
        };
        for p in points {
            r.min.x = r.min.x.min(p.x);
            r.min.y = r.min.y.min(p.y);
            r.max.x = r.max.x.max(p.x);
            r.max.y = r.max.y.max(p.y);
        }
        r
    }

    /// Does the axis-parallel segment a–b pass through the interior of this rectangle?
    pub fn crossed_by(&self, a: Pt, b: Pt) -> bool {
        let seg = Rect::bounding(&[a, b]);
        if (a.x - b.x).abs() < 1e-4 {
            a.x > self.min.x && a.x < self.max.x && seg.min.y < self.max.y && seg.max.y > self.min.y
        } else if (a.y - b.y).abs() < 1e-4 {
            a.y > self.min.y && a.y < self.max.y && seg.min.x < self.max.x && seg.max.x > self.min.x
        } else {
            self.overlaps(&seg)
        }
    }
}
