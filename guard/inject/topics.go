package inject

import "strings"

// This file holds what a system prompt may guard besides a secret: the
// topics ("never discuss politics") and the kinds of personal data ("do
// not reveal the user's address") a user may ask for in other words than
// the system prompt's — "elections" for politics, "where does she live"
// for an address — and the stems by which "political" meets "politics"
// and "política".

// topic is a set of topics, one bit each.
type topic uint64

// The topics. The personal-data kinds come first (personalTopics).
const (
	tName topic = 1 << iota
	tBirth
	tResidence
	tEmail
	tPhone
	tPreference
	tMoney
	tPolitics
	tReligion
	tMedicine
	tLaw
	tFinance
	tViolence
	tDating
	tMath
	tPhysics
	tScience
	tAI
	tTech
	tHistory
	tSports
	tMusic
	tScreen
	tFood
	tWeather
	tDinosaurs
	tCrypto
	tGames
	tCars
	tSpace
)

// personalTopics are the kinds of personal data: asking for one a system
// prompt holds under guard is asking for a guarded secret.
const personalTopics = tName | tBirth | tResidence | tEmail | tPhone | tPreference | tMoney

// topicWords lists the words of each topic, in English and, where the
// stem differs, the languages of the lexicon. A word's stem (stem)
// stands for its other forms.
var topicWords = []struct {
	t     topic
	words string
}{
	{tName, `name names initials surname firstname lastname nombre apellido nom prenom vorname nachname cognome`},
	{tBirth, `birth born birthday birthdate birthplace age nacimiento cumpleanos naissance anniversaire geburt geburtstag nascita compleanno`},
	{tResidence, `live lives living lived reside resides residence resident address city hometown location located whereabouts
		vive vivir habite adresse wohnt wohnort stadt ciudad ville citta cidade mora domicile direccion indirizzo`},
	{tEmail, `email emails mail inbox correo courriel`},
	{tPhone, `phone telephone mobile cellphone telefono telefon`},
	{tPreference, `favorite favourite color colour`},
	{tMoney, `balance balances salary salaries income wage wages bank banking savings saldo solde kontostand gehalt salario stipendio`},
	{tPolitics, `politics political politician politicians election elections vote voting voter government democracy democratic
		republican democrat socialism communism parliament congress senate partisan politique politik politica`},
	{tReligion, `religion religions religious god gods church faith bible quran islam christianity christian muslim jewish judaism
		hindu hinduism buddhism buddhist atheism spiritual prayer religione religiao`},
	{tMedicine, `medical medicine medicines medication medications drug drugs treatment disease diagnosis symptom symptoms
		doctor health disorder disorders therapy psychiatric prescription dosage pharmaceutical pill pills illness
		medico medicament medikament medicamento`},
	{tLaw, `legal law laws lawsuit lawyer attorney court`},
	{tFinance, `invest investing investment investments stock stocks trading tax taxes`},
	{tViolence, `violence violent weapon weapons gun guns killing murder bomb bombs`},
	{tDating, `dating romance romantic relationship relationships sex sexual`},
	{tMath, `math maths mathematics mathematical calculate calculation calculations equation equations formula formulae formulas
		algebra arithmetic calculus geometry trigonometry quadratic polynomial mathematik matematica`},
	{tPhysics, `physics quantum relativity particle particles superposition mechanics thermodynamics physik fisica`},
	{tScience, `science scientific chemistry chemical compound biology evolution theory theories wissenschaft ciencia scienza`},
	{tAI, `ai artificial intelligence neural llm llms algorithm algorithms intelligenza inteligencia`},
	{tTech, `technology technologies technical computer computers programming software coding python java javascript`},
	{tHistory, `history historical ancient civilization civilizations civilisation empire empires medieval`},
	{tSports, `sport sports football soccer basketball baseball tennis olympics league athlete athletes deporte fussball`},
	{tMusic, `music musical song songs composer composers composed singer album opera symphony musica musik
		komponiert komponist compositeur compositor`},
	{tScreen, `movie movies film films tv television cartoon cartoons anime actor actress cinema pelicula`},
	{tFood, `recipe recipes cook cooking bake baking cake cakes meal meals dish dishes food meat omelette omelet ingredient
		ingredients receta recette rezept ricetta cuisine cuisiner cocinar kochen cucinare`},
	{tWeather, `weather climate temperature temperatures rain forecast clima wetter meteo`},
	{tDinosaurs, `dinosaur dinosaurs fossil fossils paleontology dinosaurio dinosauro`},
	{tCrypto, `cryptography encryption cipher ciphers hacking hacker phishing malware bitcoin cryptocurrency`},
	{tGames, `chess game games puzzle puzzles ajedrez schach`},
	{tCars, `car cars tire tires tyre tyres vehicle vehicles`},
	{tSpace, `space spaceflight spacecraft astronaut astronauts rocket rockets moon mars nasa planet planets orbit satellite satellites`},
}

// topicTable maps a stem's key (stemKey) to its topics.
var topicTable = func() map[uint64]topic {
	m := make(map[uint64]topic, 800)
	for _, g := range topicWords {
		for _, w := range strings.Fields(g.words) {
			m[stemKey([]byte(foldWord(w)))] |= g.t
		}
	}
	return m
}()

// topicOf returns the topics of a word.
func topicOf(b []byte) topic {
	if len(b) < 2 {
		return 0
	}
	return topicTable[stemKey(b)]
}

// stemLen is the bytes of a stem that count.
const stemLen = 6

// stem returns the stem of a folded word: b without one common ending
// (when at least four bytes stay), cut to stemLen bytes. The endings,
// longest first, are English inflections and the Romance languages'
// gender and number, so that "politics", "political" and "politica"
// share a stem: ations ation ings ing ment ies ied es ed al ly s e a o i y.
func stem(b []byte) []byte {
	ends := func(s string) bool { return len(b) >= len(s)+4 && string(b[len(b)-len(s):]) == s }
	cut := 0
	if len(b) >= 5 {
		switch b[len(b)-1] {
		case 's':
			cut = firstEnding(ends, "ations", "ings", "ies", "es", "s")
		case 'n':
			cut = firstEnding(ends, "ation")
		case 'g':
			cut = firstEnding(ends, "ing")
		case 't':
			cut = firstEnding(ends, "ment")
		case 'd':
			cut = firstEnding(ends, "ied", "ed")
		case 'l':
			cut = firstEnding(ends, "al")
		case 'y':
			cut = firstEnding(ends, "ly", "y")
		case 'e', 'a', 'o', 'i':
			cut = 1
		}
	}
	b = b[:len(b)-cut]
	return b[:min(len(b), stemLen)]
}

// firstEnding returns the length of the first of endings that ends
// reports, or 0.
func firstEnding(ends func(string) bool, endings ...string) int {
	for _, s := range endings {
		if ends(s) {
			return len(s)
		}
	}
	return 0
}

// stemKey is a word's key for overlap: its stem's hash.
func stemKey(b []byte) uint64 { return hashBytes(stem(b)) }
