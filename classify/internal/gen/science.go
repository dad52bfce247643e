package main

// Quantitative problems outside school arithmetic: physics, chemistry and
// circuit calculations, and mathematics written in notation (LaTeX,
// matrices, limits). Reasoning, whatever the subject's vocabulary. Written
// here.

var sciencePhysics = []string{
	"A {m} kg ball is dropped from a height of {h} m. Ignoring air resistance, how fast is it moving when it hits the ground?",
	"A car accelerates uniformly from rest to {v} m/s in {t} s. What distance does it cover?",
	"A resistor of {r} Ω and an inductor of 0.{t} H are connected in series to a 230 V, 50 Hz supply. Find the current and the power factor.",
	"How much heat is needed to raise the temperature of {m} kg of water by {t} °C?",
	"A gas occupies {h} L at 300 K. What volume does it occupy at 450 K and the same pressure?",
	"What mass of NaCl is needed to make {h}0 mL of a 0.{t} M solution?",
	"A satellite orbits {h}00 km above Earth. Estimate its orbital period.",
	"A lens has a focal length of {r} cm and an object is placed {h} cm away. Where is the image and what is the magnification?",
	"Two charges of {t} μC are {m} cm apart. What force does each exert on the other?",
	"A pump lifts {h}00 liters of water by {m} meters every minute. What is its power output?",
	"If the half-life of an isotope is {t} days, what fraction remains after {h} days?",
	"Calculate the pH of a 0.0{t} M HCl solution.",
}

var scienceNotation = []string{
	"Evaluate \\int_0^{t} x^2 e^{-x} \\, dx.",
	"Find the limit of sin({t}x)/x as x \\to 0.",
	"Invert the matrix [[{t}, 1], [2, {m}]].",
	"Compute the eigenvalues of [[{t}, 2], [2, {m}]].",
	"Show that \\sum_{k=1}^{n} k^3 = (n(n+1)/2)^2.",
	"Let f(x) = x^{t} - {m}x. Find all critical points and classify them.",
	"Solve the recurrence a_n = {t}a_{n-1} - {m}a_{n-2} with a_0 = 1, a_1 = 2.",
	"∫ (3x² + {t}x) dx = ?",
	"What is the determinant of [[1, {t}, 0], [2, 1, {m}], [0, 1, 1]]?",
	"Prove that √{t} is irrational.",
	"Find the gradient of f(x, y) = x²y + {m}y³ at (1, 2).",
	"How many subsets of a {h}-element set have an even number of elements?",
}

func init() {
	slots := map[string][]string{
		"m": {"2", "3", "5", "8", "12"}, "h": {"4", "6", "10", "15", "20", "25"},
		"v": {"20", "25", "30"}, "t": {"2", "3", "4", "5", "7"}, "r": {"10", "15", "20", "40"},
	}
	register("reasoning", "science", 60, func(g *G) example {
		if g.chance(0.5) {
			return example{Text: g.fill(g.pick(sciencePhysics), slots)}
		}
		return example{Text: g.fill(g.pick(scienceNotation), slots)}
	})
}
