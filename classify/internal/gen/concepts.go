package main

// Short questions about programming concepts and web front-end how-tos:
// "What is the difference between a list and a tuple in Python?", "how do i
// center a div". They read like general-knowledge questions, and a
// programming concept or a web technology is what makes them code.
// Written here.

var conceptPairs = []string{
	"a list and a tuple in Python", "== and === in JavaScript", "let and var in JavaScript", "a struct and a class in C++",
	"an array and a slice in Go", "malloc and calloc", "a process and a thread", "TCP and UDP sockets", "git merge and git rebase",
	"an abstract class and an interface in Java", "SQL INNER JOIN and LEFT JOIN", "a shallow copy and a deep copy",
	"flexbox and CSS grid", "props and state in React", "a pointer and a reference in C++", "async and defer on a script tag",
	"a HashMap and a TreeMap", "String and &str in Rust", "pip and conda", "a unit test and an integration test",
}

var conceptTerms = []string{
	"a closure in JavaScript", "a Python decorator", "a race condition", "memoization", "a goroutine", "the virtual DOM",
	"a mutex", "tail recursion", "dependency injection", "a REST API", "a foreign key in SQL", "a lambda in Java",
	"the event loop in Node.js", "a monad in Haskell", "a Docker volume", "a generator in Python", "CORS", "a memory leak in C",
}

var webHowtos = []string{
	"how do i center a div", "how to vertically center text in css", "how do I make a navbar sticky", "how to make an image responsive in html",
	"how do i change the color of a link when hovering", "how to add a favicon to my website", "how do I hide an element with css",
	"how to make two divs side by side", "how do i make a button open a new tab", "how to make the footer stay at the bottom of the page",
	"how do i add a dark mode toggle to my site", "how to round the corners of a div",
}

func init() {
	slots := map[string][]string{"pair": conceptPairs, "term": conceptTerms}
	register("code", "concepts", 70, func(g *G) example {
		if g.chance(0.25) {
			return example{Text: g.pick(webHowtos)}
		}
		return example{Text: g.casual(g.fill(g.pick([]string{
			"What is the difference between {pair}?", "difference between {pair}", "When should I use one or the other: {pair}?",
			"What is {term}?", "Can you explain {term} with a simple example?", "What does {term} mean?", "Why would I use {term}?",
			"Is {term} a good idea? Pros and cons?", "ELI5: {term}",
		}), slots))}
	})
}
