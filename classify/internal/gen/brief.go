package main

import (
	"fmt"
	"strings"
)

// Long creative briefs: a task with a setting, characters, constraints and
// sometimes a draft to rework — the way real creative requests often come,
// many lines long. Without them every long prompt looked like code or math.

var briefTasks = []string{
	"Write a short story", "Write the first chapter of a novel", "Write a screenplay scene", "Write song lyrics",
	"Write a one-act play", "Write a fantasy short story", "Write a comedic sketch", "Write a bedtime story",
	"Write an interactive adventure where I choose what happens next", "Write a poem cycle of three poems",
	"Write a radio drama script", "Write a fairy tale retelling",
}

var briefSettings = []string{
	"The story is set in a floating city above a poisoned ocean, where water is the only currency.",
	"It takes place in a small fishing village in 1950s Portugal during a week of storms.",
	"Setting: a generation ship three hundred years into its voyage; nobody alive has seen a planet.",
	"The setting is a night bakery in Tokyo that only serves customers who cannot sleep.",
	"It happens during a snowed-in weekend at a ski lodge where the power has failed.",
	"Set it in a kingdom where music is illegal and the last violin is hidden in a church bell.",
	"The background: a retirement home where the residents secretly run a detective agency.",
	"The world is our own, except that every lie a person tells appears as a small moth.",
}

var briefCharacters = []string{
	"Mara, a stubborn cartographer who is afraid of heights", "Old Tomas, a ferryman who never speaks",
	"Inés, a teenage hacker with a soft spot for stray dogs", "Captain Adaeze Obi, honest to a fault",
	"Felix, a failed magician turned accountant", "Rin, an android who collects human jokes",
	"Grandma Lotte, who cheats at cards", "Sam and Alex, siblings who haven't spoken in ten years",
}

var briefConstraints = []string{
	"Keep it under 800 words.", "Write it in the first person, present tense.", "The tone should be bittersweet but hopeful.",
	"End with a twist the reader can find clues for on a second read.", "Use lots of dialogue and very little description.",
	"No magic solves the main problem; the characters must.", "Make it funny, in the style of Terry Pratchett.",
	"Use a rhyme scheme of AABB and a repeated chorus.", "Avoid clichés like 'it was all a dream'.",
	"Divide it into three parts with headings.", "Aim for a 10-year-old reader.", "Include a scene in the rain.",
	"Every chapter should end on a cliffhanger.", "Make the villain sympathetic.",
}

var drafts = []string{
	"The lighthouse had been dark for eleven years when the letter arrived. Mara read it twice, folded it into a small square, and went to find the keys.",
	"[Verse 1]\nEmpty streets and a paper moon,\nI kept your coat, you left too soon,\n[Chorus]\nAnd I'm still dancing in the kitchen light,\nwaiting for a call tonight",
	"Autumn keeps its promises:\nthe maple blushes, the river slows,\nand I, who promised you nothing,\nam still here.",
	"INT. BAKERY - NIGHT\nFlour in the air. KENJI (60s) pulls a tray from the oven. The bell rings. A WOMAN in a wet coat stands in the doorway.\nWOMAN: Are you open?\nKENJI: Only for people who can't sleep.",
	"Once upon a time there was a dragon who hated fire, which was a problem, because fire was the only thing he was good at.",
}

func init() {
	register("creative", "brief", 90, func(g *G) example {
		var b strings.Builder
		task := g.pick(briefTasks)
		switch g.intn(4) {
		case 0:
			fmt.Fprintf(&b, "%s about %s.\n\n", task, g.pick(creativeSlots["hero"]))
		case 1:
			fmt.Fprintf(&b, "I'm working on a project and need your help. %s.\n\n", task)
		default:
			fmt.Fprintf(&b, "%s. %s\n\n", task, g.pick(briefSettings))
		}
		if g.chance(0.6) {
			b.WriteString("Characters:\n")
			for _, c := range g.pickN(briefCharacters, g.rangeInt(2, 4)) {
				fmt.Fprintf(&b, "- %s\n", c)
			}
			b.WriteString("\n")
		}
		if g.chance(0.5) {
			fmt.Fprintf(&b, "%s\n\n", g.pick(briefSettings))
		}
		b.WriteString(g.pick([]string{"Requirements:\n", "Rules:\n", "Please follow these constraints:\n", ""}))
		for i, c := range g.pickN(briefConstraints, g.rangeInt(2, 5)) {
			fmt.Fprintf(&b, "%d. %s\n", i+1, c)
		}
		if g.chance(0.3) {
			fmt.Fprintf(&b, "\nHere is what I have so far, continue it in the same voice:\n\n%s", g.pick(drafts))
		}
		return example{Text: b.String()}
	})
	register("creative", "rework", 40, func(g *G) example {
		instr := g.pick([]string{
			"Rewrite these lyrics so they are about the sea instead, and make every line rhyme:",
			"Make this poem more melancholic, keep the length:", "Turn this opening into a horror story, and continue for 500 words:",
			"Change the style of this scene to a noir detective story:", "Rewrite this as a Shakespearean sonnet:",
			"Make this funnier and add a punchline at the end:", "Continue this story, same tone, three more paragraphs:",
			"Give this song a second verse and a bridge:",
		})
		return example{Text: instr + "\n\n" + g.pick(drafts)}
	})
	register("creative", "mlbrief", 40, func(g *G) example {
		l := g.pick([]string{"zh", "es", "fr", "de", "ru", "ja", "pt"})
		base := g.mlPromptIn("creative", l)
		req := map[string][]string{
			"zh": {"要求：字数一千字左右；第一人称；结局要有反转。", "人物：林晓（女，二十八岁，记者）、老周（退休警察）。", "风格：幽默，轻松，适合年轻读者。", "背景设定在未来的上海，机器人已经普及。"},
			"es": {"Requisitos: unas 800 palabras, en primera persona, con un final inesperado.", "Personajes: Lucía, una pescadora terca; Tomás, su abuelo que nunca habla.", "El tono debe ser melancólico pero esperanzador.", "Ambientado en un pueblo de la costa gallega en los años cincuenta."},
			"fr": {"Contraintes : environ 800 mots, à la première personne, avec une fin inattendue.", "Personnages : Léa, une cartographe têtue ; Victor, un magicien raté.", "Le ton doit être drôle et tendre.", "L'histoire se passe dans une boulangerie de nuit à Lyon."},
			"de": {"Vorgaben: etwa 800 Wörter, Ich-Perspektive, mit überraschendem Ende.", "Figuren: Mara, eine sture Kartografin; Felix, ein gescheiterter Zauberer.", "Der Ton soll bittersüß, aber hoffnungsvoll sein.", "Die Geschichte spielt in einer Berghütte während eines Schneesturms."},
			"ru": {"Требования: около 800 слов, от первого лица, с неожиданным финалом.", "Персонажи: Мара, упрямая картограф; старый паромщик Томас.", "Тон: грустный, но с надеждой.", "Действие происходит в маленьком северном городе зимой."},
			"ja": {"条件：八百字程度、一人称、意外な結末にしてください。", "登場人物：ミナ（二十歳の大学生）、老いた猫のタマ。", "雰囲気は切なくて温かい感じで。", "舞台は雨の多い港町です。"},
			"pt": {"Requisitos: cerca de 800 palavras, em primeira pessoa, com um final surpreendente.", "Personagens: Marta, uma pescadora teimosa; Tomás, o avô que nunca fala.", "O tom deve ser melancólico, mas esperançoso.", "A história se passa numa vila de pescadores nos anos cinquenta."},
		}[l]
		return example{Text: base + "\n\n" + strings.Join(g.pickN(req, g.rangeInt(2, 4)), "\n")}
	})
}
