package main

import (
	"fmt"
	"strings"
)

// Document makers for the extraction (and some summarization) examples:
// invoices, emails, résumés, logs, listings, postings. All invented.

// invoice returns an invoice, receipt or purchase order.
func (g *G) invoice() string {
	vendor, client := g.pick(companies), g.pick(companies)
	n := g.rangeInt(1, 5)
	var lines []string
	total := 0
	for _, p := range g.pickN(products, n) {
		q, price := g.rangeInt(1, 12), g.rangeInt(300, 90000)
		total += q * price
		switch g.intn(3) {
		case 0:
			lines = append(lines, fmt.Sprintf("%-28s %3d x %9s = %10s", p, q, money(price), money(q*price)))
		case 1:
			lines = append(lines, fmt.Sprintf("- %s, qty %d, unit price $%s", p, q, money(price)))
		default:
			lines = append(lines, fmt.Sprintf("%d  %s  @ %s", q, p, money(price)))
		}
	}
	tax := total * g.pick2(5, 8, 10, 19, 20) / 100
	cur := g.pick([]string{"USD", "EUR", "GBP", "$", "€"})
	num := fmt.Sprintf("%s-%d", g.pick([]string{"INV", "2024", "A", "PO", "R"}), g.rangeInt(100, 99999))
	switch g.intn(3) {
	case 0:
		return fmt.Sprintf("INVOICE %s\nDate: %s\nFrom: %s, %d %s, %s\nBill to: %s\n\n%s\n\nSubtotal: %s %s\nTax: %s %s\nTotal due: %s %s\nPayment terms: net %d days",
			num, g.date(), vendor, g.rangeInt(1, 400), g.pick(streets), g.pick(cities), client,
			strings.Join(lines, "\n"), money(total), cur, money(tax), cur, money(total+tax), cur, g.pick2(15, 30, 45, 60))
	case 1:
		return fmt.Sprintf("%s\n%s %s\nReceipt #%d   %s %02d:%02d\n%s\nTOTAL %s%s\nPaid by %s",
			strings.ToUpper(vendor), g.pick(streets), g.pick(cities), g.rangeInt(1000, 999999), g.date(),
			g.rangeInt(8, 21), g.intn(60), strings.Join(lines, "\n"), cur, money(total+tax),
			g.pick([]string{"VISA ****4821", "cash", "Mastercard ****1190", "Apple Pay"}))
	}
	return fmt.Sprintf("Purchase Order %s\nBuyer: %s (contact: %s)\nSupplier: %s\nDelivery by: %s\nItems:\n%s\nOrder value: %s %s",
		num, client, g.person(), vendor, g.date(), strings.Join(lines, "\n"), money(total), cur)
}

// pick2 returns one of the numbers.
func (g *G) pick2(v ...int) int { return v[g.intn(len(v))] }

// emailMsg returns an email with a signature and, often, requests and dates.
func (g *G) emailMsg() string {
	first, last := g.pick(firstNames), g.pick(lastNames)
	to := g.pick(firstNames)
	co := g.pick(companies)
	bodies := []string{
		"Following up on our call, could we meet on %s at %d:%02d to go over the contract? %s from legal will join. Please send the signed NDA before then.",
		"Quick update: the shipment of %d units left our warehouse yesterday and should arrive by %s. Tracking number is %s. Let me know if anything is missing.",
		"We'd like to order %d more licenses starting %s. Can you send a quote? Our PO reference is %s and the budget owner is %s.",
		"Reminder: the quarterly review is moved to %s. %s will present the numbers, and I need your slides by Thursday noon. Room B-204, or join remotely.",
		"Thanks for your application. We would like to invite you to an interview on %s at %s's office in %s. Please confirm by replying to this email.",
	}
	var body string
	switch i := g.intn(len(bodies)); i {
	case 0:
		body = fmt.Sprintf(bodies[0], g.date(), g.rangeInt(8, 17), 15*g.intn(4), g.person())
	case 1:
		body = fmt.Sprintf(bodies[1], g.rangeInt(10, 900), g.date(), fmt.Sprintf("1Z%09d", g.intn(1e9)))
	case 2:
		body = fmt.Sprintf(bodies[2], g.rangeInt(5, 200), g.date(), fmt.Sprintf("PO-%d", g.rangeInt(1000, 9999)), g.person())
	case 3:
		body = fmt.Sprintf(bodies[3], g.date(), g.person())
	default:
		body = fmt.Sprintf(bodies[4], g.date(), co, g.pick(cities))
	}
	sig := fmt.Sprintf("%s %s\n%s, %s\n%s | %s", first, last,
		g.pick([]string{"Account Manager", "Head of Operations", "Recruiter", "CFO", "Office Manager", "Sales Director"}),
		co, g.phone(), g.email(first, last))
	subj := g.pick([]string{"Meeting next week", "Re: order status", "Quote request", "Schedule change", "Interview invitation", "Follow-up"})
	return fmt.Sprintf("From: %s %s <%s>\nSubject: %s\n\nHi %s,\n\n%s\n\nBest regards,\n%s", first, last, g.email(first, last), subj, to, body, sig)
}

var skills = []string{
	"Python", "SQL", "Go", "Kubernetes", "project management", "Excel", "React", "data analysis",
	"Java", "AWS", "negotiation", "Figma", "machine learning", "Spanish (fluent)", "Salesforce", "C++",
}

var jobTitles = []string{
	"Software Engineer", "Data Analyst", "Product Manager", "Nurse", "Accountant", "UX Designer",
	"Marketing Coordinator", "DevOps Engineer", "Sales Representative", "Mechanical Engineer",
}

// resume returns a short CV.
func (g *G) resume() string {
	first, last := g.pick(firstNames), g.pick(lastNames)
	y := g.rangeInt(2008, 2020)
	exp := []string{}
	for i := 0; i < g.rangeInt(1, 3); i++ {
		y2 := y + g.rangeInt(1, 4)
		exp = append(exp, fmt.Sprintf("%s — %s, %s (%d–%d)", g.pick(jobTitles), g.pick(companies), g.pick(cities), y, y2))
		y = y2
	}
	return fmt.Sprintf("%s %s\n%s · %s · %s\n\nEXPERIENCE\n%s\n\nEDUCATION\n%s in %s, University of %s, %d\n\nSKILLS\n%s",
		first, last, g.email(first, last), g.phone(), g.pick(cities), strings.Join(exp, "\n"),
		g.pick([]string{"B.Sc.", "M.Sc.", "BA", "MBA", "PhD"}),
		g.pick([]string{"Computer Science", "Economics", "Nursing", "Design", "Mechanical Engineering", "Statistics"}),
		g.pick(cities), y-g.rangeInt(1, 6), strings.Join(g.pickN(skills, g.rangeInt(3, 7)), ", "))
}

// logs returns a few log lines in one of several formats.
func (g *G) logs() string {
	n := g.rangeInt(3, 8)
	var b strings.Builder
	format := g.intn(3)
	for i := 0; i < n; i++ {
		ip := fmt.Sprintf("%d.%d.%d.%d", g.rangeInt(10, 223), g.intn(256), g.intn(256), g.rangeInt(1, 254))
		ts := fmt.Sprintf("2024-%02d-%02dT%02d:%02d:%02dZ", g.rangeInt(1, 12), g.rangeInt(1, 28), g.intn(24), g.intn(60), g.intn(60))
		path := g.pick([]string{"/api/v1/orders", "/login", "/static/app.js", "/api/v1/users/42", "/health", "/checkout"})
		status := g.pick2(200, 200, 201, 304, 400, 401, 404, 500, 502, 503)
		switch format {
		case 0:
			fmt.Fprintf(&b, "%s - - [%02d/Mar/2024:%02d:%02d:%02d +0000] \"%s %s HTTP/1.1\" %d %d\n", ip,
				g.rangeInt(1, 28), g.intn(24), g.intn(60), g.intn(60), g.pick([]string{"GET", "POST", "PUT"}), path, status, g.rangeInt(120, 50000))
		case 1:
			lvl := g.pick([]string{"INFO", "INFO", "WARN", "ERROR", "DEBUG"})
			msg := g.pick([]string{"payment authorized order_id=%d", "cache miss key=user:%d", "db timeout after 5000ms query_id=%d",
				"retrying upstream call attempt=%d", "user %d logged in", "disk usage at %d%%"})
			fmt.Fprintf(&b, "%s %-5s [%s] %s\n", ts, lvl, g.pick([]string{"billing", "auth", "api", "worker", "scheduler"}), fmt.Sprintf(msg, g.rangeInt(1, 99999)))
		default:
			fmt.Fprintf(&b, "%s %s sshd[%d]: %s from %s port %d\n", g.pick([]string{"Jan 12 03:14:07", "Feb 2 11:40:55", "Mar 30 23:01:19"}),
				g.pick([]string{"web01", "db-2", "bastion"}), g.rangeInt(1000, 40000),
				g.pick([]string{"Failed password for root", "Accepted publickey for deploy", "Invalid user admin", "Connection closed by"}), ip, g.rangeInt(1024, 65000))
		}
	}
	return strings.TrimRight(b.String(), "\n")
}

// listing returns a product listing.
func (g *G) listing() string {
	brand := g.pick([]string{"Aurex", "Nordika", "Voltra", "Kimbo", "Pexa", "Solano", "Trivex"})
	kind := g.pick([]string{"laptop", "smartphone", "blender", "e-bike", "air purifier", "running shoes", "tent"})
	price := g.rangeInt(20, 2500)
	specs := map[string][]string{
		"laptop":        {"14\" display", "16 GB RAM", "512 GB SSD", "1.3 kg", "12-hour battery"},
		"smartphone":    {"6.1\" OLED", "128 GB storage", "48 MP camera", "5G", "4,500 mAh battery"},
		"blender":       {"1200 W motor", "1.5 L jar", "6 speeds", "dishwasher-safe parts"},
		"e-bike":        {"250 W motor", "80 km range", "7 gears", "22 kg"},
		"air purifier":  {"HEPA H13 filter", "covers 40 m²", "24 dB night mode", "Wi-Fi app"},
		"running shoes": {"8 mm drop", "265 g", "sizes 38–47", "recycled mesh upper"},
		"tent":          {"2-person", "1.9 kg", "3000 mm waterproof rating", "two doors"},
	}[kind]
	return fmt.Sprintf("%s %s %s-%d — %s. Price: $%d (was $%d). Rating %.1f/5 from %d reviews. In stock: %s. Ships from %s.",
		brand, strings.ToUpper(kind[:1])+kind[1:], string(rune('A'+g.intn(26))), g.rangeInt(10, 999), strings.Join(specs, ", "),
		price, price+g.rangeInt(5, 300), 3+float64(g.intn(20))/10, g.rangeInt(3, 5000), g.pick([]string{"yes", "no", "only 3 left"}), g.pick(cities))
}

// posting returns a job posting or an event announcement.
func (g *G) posting() string {
	if g.chance(0.5) {
		lo := g.rangeInt(40, 120)
		return fmt.Sprintf("%s is hiring a %s in %s (%s). Salary: $%dk–$%dk. Requirements: %s; %d+ years of experience. Apply by %s to %s.",
			g.pick(companies), g.pick(jobTitles), g.pick(cities), g.pick([]string{"hybrid", "remote", "on-site"}), lo, lo+g.rangeInt(10, 50),
			strings.Join(g.pickN(skills, 3), ", "), g.rangeInt(1, 8), g.date(), g.email("jobs", "team"))
	}
	return fmt.Sprintf("Join us for the %s %s on %s at %s, %d %s, %s. Doors open at %d pm. Tickets $%d (students $%d). Speakers include %s and %s. RSVP: %s",
		g.pick([]string{"Annual", "Spring", "Community", "Regional"}), g.pick([]string{"Tech Meetup", "Book Fair", "Jazz Night", "Startup Pitch Day", "Food Festival"}),
		g.date(), g.pick([]string{"the Old Town Hall", "Riverside Pavilion", "the Public Library", "Dock 7"}), g.rangeInt(1, 200), g.pick(streets), g.pick(cities),
		g.rangeInt(5, 8), g.rangeInt(10, 60), g.rangeInt(5, 9), g.person(), g.person(), g.phone())
}
