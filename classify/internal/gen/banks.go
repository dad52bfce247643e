package main

import "fmt"

// Word lists shared by the generators. All invented or generic.

var firstNames = []string{
	"Maria", "James", "Aisha", "Chen", "Lukas", "Sofia", "Rahul", "Emma", "Kwame", "Yuki",
	"Olga", "Diego", "Fatima", "Liam", "Priya", "Noah", "Ingrid", "Mateo", "Hannah", "Omar",
	"Zoe", "Tomasz", "Amara", "Ethan", "Leila", "Pedro", "Grace", "Henrik", "Mei", "Samuel",
}

var lastNames = []string{
	"Garcia", "Smith", "Okafor", "Wang", "Müller", "Rossi", "Patel", "Johnson", "Mensah",
	"Tanaka", "Ivanova", "Fernández", "Haddad", "O'Brien", "Sharma", "Nguyen", "Larsen",
	"Silva", "Kowalski", "Dubois", "Kim", "Cohen", "Baker", "Novak", "Reyes", "Lindqvist",
}

var companies = []string{
	"Northwind Traders", "Acme Logistics", "Bluefin Analytics", "Cedar & Stone LLP",
	"Helios Solar GmbH", "Orbital Foods Inc.", "Pinecrest Dental", "Quantix Labs",
	"Riverbend Hardware", "Sunrise Bakery", "Tandem Robotics", "Vireo Health",
	"Westgate Property Management", "Zenith Airlines", "Lumen Print Co.", "Harbor Fitness",
	"Kestrel Software", "Maple Street Books", "Nimbus Cloud Services", "Old Mill Brewing",
}

var cities = []string{
	"Lisbon", "Denver", "Osaka", "Nairobi", "Toronto", "Lyon", "Melbourne", "Austin",
	"Hamburg", "Bogotá", "Seoul", "Cape Town", "Dublin", "Pune", "Montreal", "Kraków",
	"Valencia", "Portland", "Singapore", "Edinburgh", "São Paulo", "Chicago",
}

var streets = []string{
	"Oak Avenue", "Harbor Road", "Elm Street", "Main Street", "King's Parade",
	"Rua Augusta", "Calle Mayor", "Lindenstraße", "Rue de la Paix", "Baker Lane",
}

var months = []string{
	"January", "February", "March", "April", "May", "June", "July", "August",
	"September", "October", "November", "December",
}

var products = []string{
	"wireless mouse", "USB-C hub", "standing desk", "office chair", "27-inch monitor",
	"espresso machine", "noise-cancelling headphones", "laptop stand", "printer toner",
	"LED desk lamp", "mechanical keyboard", "webcam", "external SSD 1TB", "paper A4 (5 reams)",
	"HDMI cable 2m", "whiteboard markers", "coffee beans 1kg", "ergonomic footrest",
}

// person returns a random full name.
func (g *G) person() string { return g.pick(firstNames) + " " + g.pick(lastNames) }

// date returns a random date in a random common format.
func (g *G) date() string {
	d, m, y := g.rangeInt(1, 28), g.rangeInt(1, 12), g.rangeInt(2019, 2025)
	switch g.intn(4) {
	case 0:
		return fmt.Sprintf("%04d-%02d-%02d", y, m, d)
	case 1:
		return fmt.Sprintf("%s %d, %d", months[m-1], d, y)
	case 2:
		return fmt.Sprintf("%02d/%02d/%d", d, m, y)
	}
	return fmt.Sprintf("%d %s %d", d, months[m-1][:3], y)
}

// email returns an address for a name at a company-like domain.
func (g *G) email(first, last string) string {
	domains := []string{"example.com", "mail.example.org", "corp.example.net", "example.co.uk"}
	return fmt.Sprintf("%s.%s@%s", lower(first), lower(last), g.pick(domains))
}

// phone returns a phone number in a random format.
func (g *G) phone() string {
	switch g.intn(3) {
	case 0:
		return fmt.Sprintf("+1 (%03d) 555-%04d", g.rangeInt(200, 989), g.intn(10000))
	case 1:
		return fmt.Sprintf("+44 20 7946 %04d", g.intn(10000))
	}
	return fmt.Sprintf("+49 30 %07d", g.intn(10000000))
}

// lower lowercases ASCII letters only (names stay readable).
func lower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}
