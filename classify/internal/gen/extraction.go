package main

import "fmt"

// Extraction: pull fields, entities or records out of a given text, often
// as JSON or a table.

var jsonHints = []string{
	"Return JSON.", "Output a JSON object.", "Respond with JSON only.", "Use JSON.",
	"Format the answer as JSON.", "Give me the result as a JSON object, nothing else.",
	"Answer as a table.", "Return it as CSV.", "Key: value pairs please.", "",
}

func init() {
	register("extraction", "invoice", 75, func(g *G) example {
		instr := g.fill(g.pick([]string{
			"Extract the vendor name, invoice number, invoice date and total amount from the invoice below. {hint}",
			"Parse this receipt into JSON with the fields store, date, items (name, quantity, unit_price) and total.",
			"Pull out every line item (description, qty, unit price) as a JSON array.",
			"From this invoice, get me the due date and the amount owed. {hint}",
			"Convert the following purchase order into a CSV with columns item, quantity, price.",
			"I need the invoice number, the billing party and the tax amount from this. {hint}",
			"Fill in this schema from the document: {\"vendor\": string, \"total\": number, \"currency\": string, \"date\": \"YYYY-MM-DD\"}",
			"Read this invoice and output only a JSON object with keys invoice_id, issued, total.",
			"Can you extract the supplier, delivery date and order value from this PO?",
			"extract all the fields from this receipt",
			"What are the line items on this bill? List each with quantity and price.",
			"Turn this invoice into structured data I can import into our accounting system. {hint}",
		}), map[string][]string{"hint": jsonHints})
		return example{Text: g.wrap(instr, g.invoice())}
	})
	register("extraction", "email", 70, func(g *G) example {
		instr := g.fill(g.pick([]string{
			"Extract the sender's name, company, phone number and any proposed meeting time from this email. {hint}",
			"List every action item in this email with its owner and deadline, as a JSON array.",
			"Find all dates and times mentioned in the message below.",
			"Pull the contact details out of this email signature: name, title, company, phone, email. {hint}",
			"From the following email, extract: sender, recipient, subject, requested action. {hint}",
			"Get the tracking number, quantity and expected delivery date from this email.",
			"Identify the people and organizations mentioned in this email and their roles.",
			"parse this email into fields (from, subject, date, request)",
			"Extract structured info from this message for our CRM: contact name, company, email, phone, topic.",
		}), map[string][]string{"hint": jsonHints})
		return example{Text: g.wrap(instr, g.emailMsg())}
	})
	register("extraction", "resume", 55, func(g *G) example {
		instr := g.fill(g.pick([]string{
			"Extract the candidate's name, email, phone, most recent job title and skills from this resume. {hint}",
			"Parse this CV into structured fields: name, contact, experience (title, company, years), education, skills.",
			"List the candidate's previous employers with start and end years.",
			"From this resume, pull out the education section: degree, field, school, graduation year. {hint}",
			"Read the résumé below and return a JSON profile for our applicant tracking system.",
			"What skills does this candidate list? Give them as an array.",
			"extract name + email + phone from this cv",
		}), map[string][]string{"hint": jsonHints})
		return example{Text: g.wrap(instr, g.resume())}
	})
}

func init() {
	register("extraction", "logs", 60, func(g *G) example {
		instr := g.fill(g.pick([]string{
			"Parse these log lines into JSON objects with timestamp, level, service and message.",
			"Extract all IP addresses and HTTP status codes from this access log. {hint}",
			"Pull out every ERROR or WARN entry with its timestamp.",
			"Turn these logs into a CSV with columns time, level, message.",
			"From the log below, list the request paths and their response codes.",
			"Extract the source IPs of the failed login attempts and count them per IP.",
			"Here are some logs. Don't write code, just give me the fields: time, host, event, IP.",
			"Structure this log excerpt as a table. {hint}",
		}), map[string][]string{"hint": jsonHints})
		return example{Text: g.wrap(instr, "```\n"+g.logs()+"\n```")}
	})
	register("extraction", "ner", 80, func(g *G) example {
		instr := g.fill(g.pick([]string{
			"Identify all people, organizations and locations mentioned in the text. Output JSON with keys persons, organizations, locations.",
			"Extract every number in this article along with what it refers to. {hint}",
			"List all the dates and time spans mentioned in this passage.",
			"Pull out the organizations and the amounts of money associated with them. {hint}",
			"Extract (subject, relation, object) triples from the following text.",
			"Who is quoted in this article and in what role? Return a list of {name, role}.",
			"Find every percentage in the text and say what it measures. {hint}",
			"Do named entity recognition on the passage below and tag each entity with its type.",
			"Extract the key facts as structured fields: event, place, date, people involved, figures. {hint}",
		}), map[string][]string{"hint": jsonHints})
		doc := g.pick(passages)
		if g.chance(0.3) {
			doc = fmt.Sprintf("%s, %s at %s, announced on %s that the company will open a new office in %s with %d employees.",
				g.person(), g.pick([]string{"CEO", "head of sales", "founder", "spokesperson"}), g.pick(companies), g.date(), g.pick(cities), g.rangeInt(10, 400))
		}
		return example{Text: g.wrap(instr, doc)}
	})
}

func init() {
	register("extraction", "product", 55, func(g *G) example {
		instr := g.fill(g.pick([]string{
			"Extract brand, model, price and the main specs from this listing. {hint}",
			"From this product page text, get the name, current price, old price, rating and number of reviews as JSON.",
			"Normalize this listing into key: value specs.",
			"Pull the specifications out of this description into a table with columns spec and value.",
			"I scraped this product text. Extract price, availability and shipping origin. {hint}",
		}), map[string][]string{"hint": jsonHints})
		doc := g.listing()
		if g.chance(0.25) {
			instr = g.pick([]string{"From this review, extract the rating, the pros and the cons as JSON.",
				"List the pros and cons mentioned in this review.", "Extract every product feature the reviewer mentions and whether they liked it."})
			doc = passages[23]
		}
		return example{Text: g.wrap(instr, doc)}
	})
	register("extraction", "forms", 60, func(g *G) example {
		instr := g.fill(g.pick([]string{
			"From this job posting extract title, company, location, salary range and requirements. {hint}",
			"Extract the event name, date, venue, ticket prices and contact from this announcement. {hint}",
			"Turn this announcement into a calendar entry: title, date, start time, location.",
			"Fill this template from the text: Company: __ Role: __ Location: __ Salary: __ Deadline: __",
			"Extract the structured fields from this posting and return them as YAML.",
			"What are the requirements listed in this posting? Bullet them.",
		}), map[string][]string{"hint": jsonHints})
		return example{Text: g.wrap(instr, g.posting())}
	})
	register("extraction", "short", 50, func(g *G) example {
		first, last := g.pick(firstNames), g.pick(lastNames)
		return example{Text: g.casual(g.fill(g.pick([]string{
			"Extract the email addresses from this: contact {mail} or sales@example.org for details, cc {mail2}.",
			"Get the phone number and name out of: \"Call {name} at {phone} before Friday.\"",
			"Split this address into street, city, postal code and country: {num} {street}, {zip} {city}, {country}",
			"What are the dates in this sentence? \"The contract starts on {date} and ends on {date2}.\"",
			"Extract the amount and currency: \"Please transfer EUR {amount} to account DE89 3704 0044 0532 0130 00 by {date}.\"",
			"Pull out the flight number, origin, destination and departure time: {flight} from {city} to {city2}, departs {time}.",
			"Return JSON {\"name\":..., \"age\":...} for: {name} is {age} years old and lives in {city}.",
			"Extract the medication names and doses: patient takes metformin 500 mg twice daily and lisinopril 10 mg once a day.",
			"Convert to JSON: name={name}; role={role}; start={date}",
		}), map[string][]string{
			"mail": {g.email(first, last)}, "mail2": {g.email(g.pick(firstNames), g.pick(lastNames))},
			"name": {first + " " + last}, "phone": {g.phone()}, "num": {fmt.Sprint(g.rangeInt(1, 300))},
			"street": streets, "zip": {fmt.Sprintf("%05d", g.intn(100000))}, "city": cities, "city2": cities,
			"country": {"Portugal", "USA", "Canada", "Germany", "Japan", "Spain"}, "date": {g.date()}, "date2": {g.date()},
			"amount": {money(g.rangeInt(1000, 900000))}, "flight": {fmt.Sprintf("%s%d", g.pick([]string{"LH", "BA", "AF", "UA", "NH"}), g.rangeInt(10, 9999))},
			"time": {fmt.Sprintf("%02d:%02d", g.intn(24), 5*g.intn(12))}, "age": {fmt.Sprint(g.rangeInt(18, 90))}, "role": jobTitles,
		}))}
	})
	register("extraction", "ml", 64, func(g *G) example {
		l := g.pick2(0, 1, 2, 3, 4, 5, 6, 7)
		lg := langs[l]
		i := g.intn(len(lg.extract))
		var doc string
		switch i {
		case 1:
			doc = lg.docs[0]
		case 2:
			doc = lg.docs[1]
		default:
			doc = g.pick(lg.passages)
			if g.chance(0.2) {
				doc = g.pick(passages)
			}
		}
		return example{Text: g.wrap(lg.extract[i], doc)}
	})
}
