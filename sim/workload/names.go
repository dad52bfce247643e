package workload

import (
	"math/rand/v2"
	"strings"
)

// person is a first name with the pronouns the problems use.
type person struct{ name, they, them, their string }

var people = []person{
	{"Natalia", "she", "her", "her"}, {"James", "he", "him", "his"}, {"Priya", "she", "her", "her"}, {"Omar", "he", "him", "his"},
	{"Mei", "she", "her", "her"}, {"Lucas", "he", "him", "his"}, {"Amara", "she", "her", "her"}, {"Diego", "he", "him", "his"},
	{"Hannah", "she", "her", "her"}, {"Kenji", "he", "him", "his"}, {"Fatima", "she", "her", "her"}, {"Noah", "he", "him", "his"},
	{"Sofia", "she", "her", "her"}, {"Ethan", "he", "him", "his"}, {"Leila", "she", "her", "her"}, {"Mateo", "he", "him", "his"},
	{"Grace", "she", "her", "her"}, {"Ivan", "he", "him", "his"}, {"Chloe", "she", "her", "her"}, {"Samuel", "he", "him", "his"},
	{"Aisha", "she", "her", "her"}, {"Ben", "he", "him", "his"}, {"Yuki", "she", "her", "her"}, {"Tariq", "he", "him", "his"},
	{"Elena", "she", "her", "her"}, {"Marcus", "he", "him", "his"}, {"Nadia", "she", "her", "her"}, {"Felix", "he", "him", "his"},
	{"Rosa", "she", "her", "her"}, {"Arjun", "he", "him", "his"}, {"Zoe", "she", "her", "her"}, {"Liam", "he", "him", "his"},
}

var surnames = []string{
	"Reyes", "Park", "Okafor", "Novak", "Schmidt", "Tanaka", "Haddad", "Larsen", "Moreau", "Silva",
	"Kowalski", "Nguyen", "Patel", "Brennan", "Costa", "Ibrahim", "Lindqvist", "Romero", "Chen", "Adeyemi",
	"Fischer", "Duarte", "Sato", "Walsh", "Petrov", "Mensah", "Rossi", "Hughes", "Kaur", "Varga",
}

var companies = []string{
	"Acme Corp", "Northwind Traders", "Bluefin Logistics", "Orbital Foods", "Cedar Health", "Lumen Energy",
	"Harbor Analytics", "Pinecrest Bank", "Vertex Robotics", "Silverline Media", "Quarry Labs", "Brightwater Travel",
	"Summit Outdoor", "Copperleaf Software", "Redwood Insurance", "Tidal Motors", "Granite Systems", "Maple Grocers",
}

var cities = []string{
	"Springfield", "Riverton", "Lakeside", "Fairview", "Brookhaven", "Cedar Falls", "Millbrook", "Westport",
	"Ashford", "Kingsbridge", "Oakridge", "Port Allen", "Greenville", "Hollowell", "Northgate", "Elmstead",
}

var months = []string{
	"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December",
}

var weekdays = []string{"Monday", "Tuesday", "Wednesday", "Thursday", "Friday"}

// fullName returns a random first and last name.
func fullName(r *rand.Rand) (first, last string) {
	return pick(r, people).name, pick(r, surnames)
}

// domain returns the e-mail domain of a company ("Acme Corp" → "acmecorp.com").
func domain(company string) string {
	return strings.ToLower(strings.ReplaceAll(company, " ", "")) + ".com"
}

// capitalize returns s with its first letter in upper case.
func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
