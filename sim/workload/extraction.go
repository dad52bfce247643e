package workload

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"

	"switchyard/llm"
)

// record is the made-up data a message to extract from holds.
type record struct {
	first, last, company, email, support, phone, order, date, otherDate, total, subtotal, city string
}

func newRecord(r *rand.Rand) record {
	first, last := fullName(r)
	company := pick(r, companies)
	sub := 10 * between(r, 2, 40)
	return record{
		first: first, last: last, company: company,
		email:     strings.ToLower(first+"."+last) + "@" + domain(company),
		support:   pick(r, []string{"support", "help", "orders", "billing"}) + "@" + domain(company),
		phone:     fmt.Sprintf("555-%04d", between(r, 100, 9999)),
		order:     fmt.Sprintf("%d", between(r, 10000, 99999)),
		date:      fmt.Sprintf("%s %d", pick(r, months), between(r, 1, 28)),
		otherDate: fmt.Sprintf("%s %d", pick(r, months), between(r, 1, 28)),
		subtotal:  fmt.Sprintf("$%d.00", sub),
		total:     fmt.Sprintf("$%d.%02d", sub+between(r, 3, 30), between(r, 1, 99)),
		city:      pick(r, cities),
	}
}

// messages are the texts to extract from: e-mails, notes and invoices.
var messages = []func(x record) string{
	func(x record) string {
		return fmt.Sprintf("Hi, I'm %s %s from %s. My order #%s was due on %s but hasn't arrived. You can reach me at %s or %s. (Copying %s.)",
			x.first, x.last, x.company, x.order, x.date, x.email, x.phone, x.support)
	},
	func(x record) string {
		return fmt.Sprintf("Invoice for order %s, issued %s to %s %s (%s, tel. %s), %s. Subtotal %s, total due %s by %s. Questions: %s.",
			x.order, x.otherDate, x.first, x.last, x.email, x.phone, x.city, x.subtotal, x.total, x.date, x.support)
	},
	func(x record) string {
		return fmt.Sprintf("Meeting notes: %s %s of %s called on %s about order %s; follow up by %s. Contact: %s, phone %s.",
			x.first, x.last, x.company, x.otherDate, x.order, x.date, x.email, x.phone)
	},
}

// extractions ask for one field of a record, with its answer and the
// answers a careless reader gives.
var extractions = []struct {
	forms []string // each with one %s for the text
	field func(x record) (right string, wrong []string)
	// invoice is set for a field only the invoice has.
	invoice bool
}{
	{[]string{"Extract the customer's email address from this message: %s", "Extract the sender's email address from the following text. Reply with the address only.\n\n%s", "Pull out the personal email (not the company's shared inbox) from:\n%s"},
		func(x record) (string, []string) { return x.email, []string{x.support} }, false},
	{[]string{"From the text below, extract the order number.\n\n%s", "Extract the order ID from this text: %s", "Extract just the order number from the following: %s"},
		func(x record) (string, []string) { return x.order, []string{strings.TrimPrefix(x.phone, "555-")} }, false},
	{[]string{"Extract the phone number from this message: %s", "Return the phone number mentioned in the following text.\n%s"},
		func(x record) (string, []string) { return x.phone, []string{"555-0100"} }, false},
	{[]string{"Extract the customer's full name from the text below.\n\n%s", "Pull the customer's full name out of this message: %s"},
		func(x record) (string, []string) {
			return x.first + " " + x.last, []string{x.last + " " + x.first, x.first}
		}, false},
	{[]string{"Extract the total amount due from this invoice text: %s", "How much is due in total? Extract the amount from:\n%s"},
		func(x record) (string, []string) { return x.total, []string{x.subtotal} }, true},
	{[]string{"Extract the name, email and phone of the customer as JSON with keys name, email, phone: %s", "Parse the following into a JSON object {\"name\", \"email\", \"phone\"}:\n%s"},
		func(x record) (string, []string) {
			right := jsonObject(x.first+" "+x.last, x.email, x.phone)
			return right, []string{jsonObject(x.first+" "+x.last, x.support, x.phone), jsonObject(x.company, x.email, x.phone)}
		}, false},
}

// extraction writes a request to extract one field from a made-up
// message; a wrong answer is another field or value of the message.
func extraction(r *rand.Rand) Item {
	x := newRecord(r)
	e := pick(r, extractions)
	message := pick(r, messages)
	if e.invoice {
		message = messages[1]
	}
	text := message(x)
	right, wrong := e.field(x)
	kept := wrong[:0]
	for _, w := range wrong {
		if w != right {
			kept = append(kept, w)
		}
	}
	return Item{Prompt: fmt.Sprintf(pick(r, e.forms), text), Category: llm.CategoryExtraction, Expected: right, Wrong: kept}
}

// jsonObject returns {"name","email","phone"} as compact JSON.
func jsonObject(name, email, phone string) string {
	b, _ := json.Marshal(struct {
		Name  string `json:"name"`
		Email string `json:"email"`
		Phone string `json:"phone"`
	}{name, email, phone})
	return string(b)
}
