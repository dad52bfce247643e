package main

func init() {
	mlT["es"] = &mlTemplates{
		slots: map[string][]string{
			"country": {"Francia", "Japón", "Brasil", "Egipto", "Canadá", "la India", "Alemania", "Perú"},
			"person":  {"Frida Kahlo", "Cervantes", "Simón Bolívar", "Gabriela Mistral", "Einstein", "Picasso"},
			"thing":   {"un agujero negro", "la inflación", "la fotosíntesis", "la inteligencia artificial", "el efecto invernadero", "el blockchain"},
			"topic":   {"el otoño", "la amistad", "el mar", "mi pueblo", "el primer amor", "la lluvia", "los sueños"},
			"plang":   {"Python", "Java", "Go", "JavaScript", "C#", "Rust"},
			"task":    {"elimine duplicados de una lista", "compruebe si una palabra es palíndromo", "lea un archivo CSV", "implemente búsqueda binaria", "calcule el factorial de un número"},
			"shell":   {"bash", "PowerShell", "Python"}, "n": nums, "m": nums,
		},
		factual:   []string{"¿Cuál es la capital de {country}?", "¿Quién fue {person}?", "¿Qué es {thing}?", "¿Por qué es famoso {person}?", "¿Cuántos habitantes tiene {country}?", "Explícame cómo funciona {thing}.", "¿Qué idioma se habla en {country}?"},
		creative:  []string{"Escribe un poema sobre {topic}", "Escribe un cuento corto sobre {topic}", "Escribe la letra de una canción sobre {topic}", "Inventa una fábula sobre {topic}", "Escribe un texto publicitario sobre {topic}", "Escribe un monólogo teatral sobre {topic}"},
		reasoning: []string{"Si a un número le sumo {n} y lo multiplico por {m}, obtengo {n}0. ¿Qué número es?", "En una clase de {m} alumnos hay {n} chicos más que chicas. ¿Cuántos chicos y chicas hay?", "Un libro tiene {m}0 páginas. Si leo {n} páginas al día, ¿cuántos días tardo? Explica el razonamiento.", "Si {n} obreros tardan {m} días en hacer una obra, ¿cuánto tardarán {m} obreros?"},
		code:      []string{"Escribe un script en {shell} que haga una copia de seguridad cada noche", "¿Cómo manejo excepciones en {plang}?", "Optimiza esta consulta SQL, va muy lenta", "Haz un programa en {plang} que descargue una página web", "Escribe una función en {plang} que {task}", "¿Cómo hago en {plang} un programa que {task}?", "Mi código en {plang} da un error, ¿qué está mal?", "Explica la diferencia entre una clase y una interfaz en {plang}", "Escribe pruebas unitarias en {plang} para una función que {task}"},
		summarize: []string{"Resúmeme esto:", "Dame un resumen rápido:", "Haz una síntesis del siguiente párrafo.", "¿Cuáles son las ideas clave?", "Acorta este texto:", "Resume las ideas principales de este artículo:", "Hazme un resumen corto de este correo.", "¿De qué trata este texto? Resúmelo en dos frases.", "Sintetiza el acta de la reunión en puntos clave:"},
		extract:   []string{"Lista todas las fechas y lugares:", "Convierte esto en JSON:", "Sácame los nombres y teléfonos:", "Identifica las empresas y los importes:", "Extrae todas las fechas e importes del texto y devuélvelos en JSON.", "Saca los nombres de empresas y ciudades de este texto.", "Extrae los datos clave del siguiente texto en una tabla.", "Identifica en el texto todos los nombres y cargos."},
		chatLines: []string{"¿Qué tal tu día?", "Estoy muy cansado hoy", "Jajaja me muero", "¡Gracias, crack!", "¿Eres un robot?", "¡Mañana es viernes!", "¿Qué cuentas?", "Hola, ¿hay alguien?"},
	}
	mlT["pt"] = &mlTemplates{
		slots: map[string][]string{
			"country": {"França", "Japão", "Argentina", "Egito", "Canadá", "Índia", "Alemanha", "Angola"},
			"person":  {"Machado de Assis", "Fernando Pessoa", "Santos Dumont", "Pelé", "Einstein", "Clarice Lispector"},
			"thing":   {"um buraco negro", "a inflação", "a fotossíntese", "a inteligência artificial", "o efeito estufa"},
			"topic":   {"o outono", "a amizade", "o mar", "minha cidade", "o primeiro amor", "a chuva", "a saudade"},
			"plang":   {"Python", "Java", "Go", "JavaScript", "C#", "Kotlin"},
			"task":    {"remova duplicados de uma lista", "verifique se uma palavra é palíndromo", "leia um arquivo CSV", "implemente busca binária", "calcule o fatorial de um número"},
			"shell":   {"bash", "PowerShell", "Python"}, "n": nums, "m": nums,
		},
		factual:   []string{"Qual é a capital da {country}?", "Quem foi {person}?", "O que é {thing}?", "Por que {person} é famoso?", "Quantos habitantes tem a {country}?", "Explique como funciona {thing}."},
		creative:  []string{"Escreva um poema sobre {topic}", "Escreva um conto curto sobre {topic}", "Escreva a letra de uma música sobre {topic}", "Crie uma fábula sobre {topic}", "Escreva um texto publicitário sobre {topic}"},
		reasoning: []string{"Se eu somar {n} a um número e multiplicar por {m}, obtenho {n}0. Qual é o número?", "Numa turma de {m} alunos há {n} meninos a mais que meninas. Quantos meninos e meninas há?", "Um livro tem {m}0 páginas. Lendo {n} páginas por dia, em quantos dias termino? Mostre o raciocínio.", "Se {n} pedreiros fazem uma obra em {m} dias, quantos dias levam {m} pedreiros?"},
		code:      []string{"Escreva um script em {shell} que faça backup toda noite", "Como tratar exceções em {plang}?", "Otimize esta consulta SQL, está muito lenta", "Faça um programa em {plang} que baixe uma página web", "Escreva uma função em {plang} que {task}", "Como faço em {plang} um programa que {task}?", "Meu código em {plang} está dando erro, o que está errado?", "Explique a diferença entre classe e interface em {plang}", "Escreva testes em {plang} para uma função que {task}"},
		summarize: []string{"Me dá um resumo disso:", "Faça uma síntese do parágrafo:", "Quais são as ideias principais?", "Encurte este texto:", "Resuma em uma frase:", "Resuma as ideias principais deste artigo:", "Faça um resumo curto deste e-mail.", "Sobre o que é este texto? Resuma em duas frases.", "Resuma a ata da reunião em tópicos:"},
		extract:   []string{"Liste todas as datas e lugares:", "Converta isto em JSON:", "Identifique as empresas e os valores:", "Pegue o nome e o telefone:", "Extraia todas as datas e valores do texto e devolva em JSON.", "Tire os nomes de empresas e cidades deste texto.", "Extraia os dados principais do texto em uma tabela.", "Identifique no texto todos os nomes e cargos."},
		chatLines: []string{"E aí, como foi seu dia?", "Tô muito cansado hoje", "Hahaha que engraçado", "Obrigado, você é demais!", "Você é um robô?", "Amanhã é feriado!", "Quais as novidades?"},
	}
}

func init() {
	mlT["fr"] = &mlTemplates{
		slots: map[string][]string{
			"country": {"l'Espagne", "le Japon", "le Brésil", "l'Égypte", "le Canada", "l'Inde", "l'Allemagne", "le Sénégal"},
			"person":  {"Victor Hugo", "Marie Curie", "Napoléon", "Molière", "Einstein", "Simone de Beauvoir"},
			"thing":   {"un trou noir", "l'inflation", "la photosynthèse", "l'intelligence artificielle", "l'effet de serre", "la blockchain"},
			"topic":   {"l'automne", "l'amitié", "la mer", "mon village", "le premier amour", "la pluie", "les rêves"},
			"plang":   {"Python", "Java", "Go", "JavaScript", "C#", "Rust"},
			"task":    {"supprime les doublons d'une liste", "vérifie si un mot est un palindrome", "lit un fichier CSV", "implémente une recherche dichotomique", "calcule la factorielle d'un nombre"},
			"shell":   {"bash", "PowerShell", "Python"}, "n": nums, "m": nums,
		},
		factual:   []string{"Quelle est la capitale de {country} ?", "Qui était {person} ?", "Qu'est-ce que {thing} ?", "Pourquoi {person} est-il célèbre ?", "Combien d'habitants compte {country} ?", "Explique-moi comment fonctionne {thing}."},
		creative:  []string{"Écris un poème sur {topic}", "Écris une nouvelle courte sur {topic}", "Écris les paroles d'une chanson sur {topic}", "Invente une fable sur {topic}", "Rédige un texte publicitaire sur {topic}"},
		reasoning: []string{"Si j'ajoute {n} à un nombre puis que je multiplie par {m}, j'obtiens {n}0. Quel est ce nombre ?", "Dans une classe de {m} élèves, il y a {n} garçons de plus que de filles. Combien de garçons et de filles ?", "Un livre fait {m}0 pages. En lisant {n} pages par jour, combien de jours me faut-il ? Justifie.", "Si {n} ouvriers font un chantier en {m} jours, combien de jours faut-il à {m} ouvriers ?"},
		code:      []string{"Écris un script {shell} qui fait une sauvegarde chaque nuit", "Comment gérer les exceptions en {plang} ?", "Optimise cette requête SQL, elle est trop lente", "Fais un programme en {plang} qui télécharge une page web", "Écris une fonction en {plang} qui {task}", "Comment écrire en {plang} un programme qui {task} ?", "Mon code {plang} plante, qu'est-ce qui ne va pas ?", "Explique la différence entre une classe et une interface en {plang}", "Écris des tests unitaires en {plang} pour une fonction qui {task}"},
		summarize: []string{"Résume-moi ça :", "Fais une synthèse de ce paragraphe.", "Quelles sont les idées clés ?", "Raccourcis ce texte :", "En bref, que dit ce texte ?", "Résume les idées principales de cet article :", "Fais-moi un résumé court de ce mail.", "De quoi parle ce texte ? Résume-le en deux phrases.", "Synthétise le compte rendu de réunion en points clés :"},
		extract:   []string{"Liste toutes les dates et tous les lieux :", "Convertis ceci en JSON :", "Repère les entreprises et les montants :", "Récupère le nom et le téléphone :", "Extrais toutes les dates et tous les montants du texte en JSON.", "Relève les noms d'entreprises et de villes dans ce texte.", "Extrais les données clés du texte sous forme de tableau.", "Identifie dans le texte tous les noms et leurs fonctions."},
		chatLines: []string{"Ça roule ?", "Je suis crevé aujourd'hui", "Mdr trop drôle", "Merci, t'es au top !", "T'es un robot ?", "Vivement le week-end !", "Quoi de neuf ?"},
	}
	mlT["de"] = &mlTemplates{
		slots: map[string][]string{
			"country": {"Frankreich", "Japan", "Brasilien", "Ägypten", "Kanada", "Indien", "Österreich", "Polen"},
			"person":  {"Goethe", "Albert Einstein", "Marie Curie", "Beethoven", "Otto von Bismarck", "Hannah Arendt"},
			"thing":   {"ein Schwarzes Loch", "Inflation", "Photosynthese", "künstliche Intelligenz", "der Treibhauseffekt", "die Blockchain"},
			"topic":   {"den Herbst", "die Freundschaft", "das Meer", "meine Heimatstadt", "die erste Liebe", "den Regen", "Träume"},
			"plang":   {"Python", "Java", "Go", "JavaScript", "C#", "Rust"},
			"task":    {"Duplikate aus einer Liste entfernt", "prüft, ob ein Wort ein Palindrom ist", "eine CSV-Datei einliest", "eine binäre Suche implementiert", "die Fakultät einer Zahl berechnet"},
			"shell":   {"bash", "PowerShell", "Python"}, "n": nums, "m": nums,
		},
		factual:   []string{"Was ist die Hauptstadt von {country}?", "Wer war {person}?", "Was ist {thing}?", "Wofür ist {person} bekannt?", "Wie viele Einwohner hat {country}?", "Erklär mir, wie {thing} funktioniert."},
		creative:  []string{"Schreib ein Gedicht über {topic}", "Schreib eine Kurzgeschichte über {topic}", "Schreib einen Liedtext über {topic}", "Erfinde eine Fabel über {topic}", "Schreib einen Werbetext über {topic}"},
		reasoning: []string{"Wenn ich zu einer Zahl {n} addiere und mit {m} multipliziere, erhalte ich {n}0. Welche Zahl ist es?", "In einer Klasse mit {m} Schülern gibt es {n} Jungen mehr als Mädchen. Wie viele Jungen und Mädchen sind es?", "Ein Buch hat {m}0 Seiten. Wenn ich {n} Seiten pro Tag lese, wie viele Tage brauche ich? Begründe.", "{n} Arbeiter brauchen {m} Tage für einen Auftrag. Wie lange brauchen {m} Arbeiter?"},
		code:      []string{"Schreib ein {shell}-Skript, das jede Nacht ein Backup macht", "Wie behandle ich Ausnahmen in {plang}?", "Optimiere diese SQL-Abfrage, sie ist zu langsam", "Schreib ein Programm in {plang}, das eine Webseite herunterlädt", "Schreib eine Funktion in {plang}, die {task}", "Wie schreibe ich in {plang} ein Programm, das {task}?", "Mein {plang}-Code wirft einen Fehler, was ist falsch?", "Erkläre den Unterschied zwischen Klasse und Interface in {plang}", "Schreib Unit-Tests in {plang} für eine Funktion, die {task}"},
		summarize: []string{"Fass das kurz zusammen:", "Kurzfassung bitte:", "Was sind die Kernaussagen?", "Kürze diesen Text:", "Worum geht es, kurz gesagt?", "Fass die wichtigsten Aussagen dieses Artikels zusammen:", "Mach mir eine kurze Zusammenfassung dieser E-Mail.", "Worum geht es in diesem Text? Fasse ihn in zwei Sätzen zusammen.", "Fasse das Besprechungsprotokoll in Stichpunkten zusammen:"},
		extract:   []string{"Liste alle Daten und Orte auf:", "Wandle das in JSON um:", "Finde alle Namen und Telefonnummern:", "Welche Firmen und Beträge werden genannt? Extrahiere sie:", "Extrahiere alle Daten und Beträge aus dem Text als JSON.", "Liste die Firmennamen und Städte aus diesem Text auf.", "Extrahiere die wichtigsten Angaben aus dem Text als Tabelle.", "Finde im Text alle Namen und ihre Funktionen."},
		chatLines: []string{"Na, wie läuft's?", "Ich bin heute total müde", "Haha, wie lustig", "Danke dir, du bist super!", "Bist du ein Roboter?", "Endlich Wochenende!", "Was gibt's Neues?"},
	}
}

// mlPrompt returns a templated prompt of a class in a random language, or
// "" if the language has no template for it.
func (g *G) mlPrompt(class string) string {
	return g.mlPromptIn(class, g.pick([]string{"zh", "es", "fr", "de", "ja", "ru", "pt", "ar"}))
}

// mlPromptIn returns a templated prompt of a class in the given language.
func (g *G) mlPromptIn(class, code string) string {
	t := mlT[code]
	list := map[string][]string{
		"factual": t.factual, "creative": t.creative, "reasoning": t.reasoning, "code": t.code, "chat": t.chatLines,
	}[class]
	if len(list) == 0 {
		return ""
	}
	return g.fill(g.pick(list), t.slots)
}

func init() {
	for class, n := range map[string]int{"factual": 90, "creative": 80, "reasoning": 70, "code": 80, "chat": 50} {
		register(class, "mlt", n, func(g *G) example { return example{Text: g.mlPrompt(class)} })
	}
	register("summarization", "mlt", 80, func(g *G) example {
		lg := langs[g.intn(len(langs))]
		doc := g.pick(lg.passages)
		if g.chance(0.3) {
			doc = g.pick(lg.docs)
		}
		return example{Text: g.wrap(g.pick(mlT[lg.code].summarize), doc)}
	})
	register("extraction", "mlt", 80, func(g *G) example {
		lg := langs[g.intn(len(langs))]
		doc := g.pick(lg.docs)
		if g.chance(0.5) {
			doc = g.pick(lg.passages)
		}
		return example{Text: g.wrap(g.pick(mlT[lg.code].extract), doc)}
	})
}
