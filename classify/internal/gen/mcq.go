package main

import (
	"fmt"
	"strings"
)

// Multiple-choice questions, the shape of exams and benchmarks: a
// knowledge question with lettered options is factual, a computation with
// options is reasoning. The options' format carries no class. Written here.

type mcq struct {
	q    string
	opts [4]string
}

var mcqFactual = []mcq{
	{"Which organelle is known as the powerhouse of the cell?", [4]string{"Nucleus", "Mitochondrion", "Ribosome", "Golgi apparatus"}},
	{"Which gas makes up most of Earth's atmosphere?", [4]string{"Oxygen", "Carbon dioxide", "Nitrogen", "Argon"}},
	{"Who wrote the Federalist Papers together with Hamilton and Madison?", [4]string{"John Jay", "Thomas Jefferson", "Benjamin Franklin", "John Adams"}},
	{"Which of the following is a fiscal policy tool?", [4]string{"Changing the reserve requirement", "Open market operations", "Changing government spending", "Setting the discount rate"}},
	{"In which year did the Berlin Wall fall?", [4]string{"1987", "1989", "1991", "1993"}},
	{"Which data structure works last in, first out?", [4]string{"Queue", "Stack", "Heap", "Linked list"}},
	{"Which hormone lowers blood sugar?", [4]string{"Glucagon", "Adrenaline", "Insulin", "Cortisol"}},
	{"What is the capital of Canada?", [4]string{"Toronto", "Vancouver", "Montreal", "Ottawa"}},
	{"Which philosopher wrote the Critique of Pure Reason?", [4]string{"Hegel", "Kant", "Hume", "Descartes"}},
	{"Which element has the chemical symbol K?", [4]string{"Krypton", "Calcium", "Potassium", "Phosphorus"}},
	{"Under the U.S. Constitution, who has the power to declare war?", [4]string{"The President", "Congress", "The Supreme Court", "The Secretary of Defense"}},
	{"Which layer of the OSI model handles routing?", [4]string{"Data link", "Network", "Transport", "Session"}},
	{"Which vitamin deficiency causes scurvy?", [4]string{"Vitamin A", "Vitamin B12", "Vitamin C", "Vitamin D"}},
	{"Which planet has the shortest year?", [4]string{"Venus", "Mercury", "Mars", "Earth"}},
	{"The Treaty of Westphalia ended which war?", [4]string{"The Hundred Years' War", "The Thirty Years' War", "The Seven Years' War", "The War of the Roses"}},
	{"Which ethical theory judges actions by their consequences?", [4]string{"Deontology", "Virtue ethics", "Utilitarianism", "Contractualism"}},
	{"Which of these is a symptom of hypothyroidism?", [4]string{"Weight loss", "Heat intolerance", "Fatigue and weight gain", "Tremor"}},
	{"Which painter cut off part of his own ear?", [4]string{"Monet", "Van Gogh", "Cézanne", "Gauguin"}},
	{"What does GDP measure?", [4]string{"Total government debt", "The value of final goods and services produced", "The trade balance", "Average household income"}},
	{"Which bond holds the two strands of DNA together?", [4]string{"Ionic bonds", "Hydrogen bonds", "Peptide bonds", "Metallic bonds"}},
}

var mcqReasoning = []mcq{
	{"A shirt costs $40 after a 20% discount. What was the original price?", [4]string{"$48", "$50", "$52", "$60"}},
	{"If 3x + 5 = 26, what is x?", [4]string{"5", "6", "7", "8"}},
	{"A train travels 180 km in 2.5 hours. What is its average speed?", [4]string{"62 km/h", "68 km/h", "72 km/h", "75 km/h"}},
	{"What is the next number in the sequence 2, 6, 18, 54, ...?", [4]string{"108", "148", "162", "216"}},
	{"Two dice are rolled. What is the probability that the sum is 7?", [4]string{"1/12", "1/6", "1/8", "7/36"}},
	{"All roses are flowers. Some flowers fade quickly. Which statement must be true?", [4]string{"All roses fade quickly", "Some roses fade quickly", "No roses fade quickly", "None of these must be true"}},
	{"A rectangle has a perimeter of 30 cm and a length of 9 cm. What is its area?", [4]string{"45 cm²", "54 cm²", "60 cm²", "81 cm²"}},
	{"How many ways can 4 people sit in a row?", [4]string{"12", "16", "24", "32"}},
	{"If a worker paints a fence in 6 hours and another in 3 hours, how long do they take together?", [4]string{"1.5 hours", "2 hours", "2.5 hours", "4.5 hours"}},
	{"What is the derivative of x³ + 2x?", [4]string{"3x² + 2", "x² + 2", "3x + 2", "3x²"}},
}

// mcqFormats lays out a question and its options.
var mcqFormats = []func(q string, o [4]string) string{
	func(q string, o [4]string) string {
		return fmt.Sprintf("%s\nA) %s\nB) %s\nC) %s\nD) %s", q, o[0], o[1], o[2], o[3])
	},
	func(q string, o [4]string) string {
		return fmt.Sprintf("%s (A) %s (B) %s (C) %s (D) %s", q, o[0], o[1], o[2], o[3])
	},
	func(q string, o [4]string) string {
		return fmt.Sprintf("Question: %s\nOptions:\nA. %s\nB. %s\nC. %s\nD. %s\nAnswer:", q, o[0], o[1], o[2], o[3])
	},
	func(q string, o [4]string) string {
		return fmt.Sprintf("Choose the correct answer. %s\n- %s\n- %s\n- %s\n- %s", q, o[0], o[1], o[2], o[3])
	},
	func(q string, o [4]string) string {
		return fmt.Sprintf("%s\n\na. %s\nb. %s\nc. %s\nd. %s\n\nReply with the letter only.", q, o[0], o[1], o[2], o[3])
	},
}

var mcqPreambles = []string{"", "", "Answer the following multiple choice question.\n\n", "The following is a question about %s.\n\n", "Pick one. "}

var mcqSubjects = []string{"biology", "history", "economics", "chemistry", "law", "medicine", "geography", "philosophy"}

func mcqExample(g *G, items []mcq, subjects []string) example {
	it := items[g.intn(len(items))]
	pre := g.pick(mcqPreambles)
	if strings.Contains(pre, "%s") {
		pre = fmt.Sprintf(pre, g.pick(subjects))
	}
	return example{Text: pre + mcqFormats[g.intn(len(mcqFormats))](it.q, it.opts)}
}

func init() {
	register("factual", "mcq", 70, func(g *G) example { return mcqExample(g, mcqFactual, mcqSubjects) })
	register("reasoning", "mcq", 40, func(g *G) example {
		return mcqExample(g, mcqReasoning, []string{"algebra", "probability", "logic", "arithmetic"})
	})
}
