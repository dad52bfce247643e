package main

// Code: write, debug, explain, review and operate software.

var codeSlots = map[string][]string{
	"lang": {"Python", "JavaScript", "TypeScript", "Go", "Rust", "Java", "C#", "C++", "Ruby", "PHP", "Kotlin", "Swift", "Bash"},
	"task": {"reverses a linked list", "checks whether a string is a palindrome", "merges two sorted arrays", "parses a CSV file and sums a column",
		"debounces a function", "finds the longest common prefix of a list of strings", "validates an email address", "implements an LRU cache",
		"flattens a nested list", "counts word frequencies in a file", "converts Roman numerals to integers", "retries an HTTP request with exponential backoff",
		"reads a JSON config file", "computes the nth Fibonacci number iteratively", "finds duplicate files in a directory"},
	"err": {"TypeError: 'NoneType' object is not subscriptable", "panic: runtime error: index out of range [3] with length 3", "NullPointerException",
		"Uncaught TypeError: Cannot read properties of undefined (reading 'map')", "error[E0502]: cannot borrow `v` as mutable because it is also borrowed as immutable",
		"fatal error: all goroutines are asleep - deadlock!", "ModuleNotFoundError: No module named 'requests'", "segmentation fault (core dumped)",
		"CORS policy: No 'Access-Control-Allow-Origin' header is present", "ERROR 1062 (23000): Duplicate entry '1' for key 'PRIMARY'"},
	"tool": {"git", "Docker", "Kubernetes", "nginx", "npm", "webpack", "PostgreSQL", "Redis", "Terraform", "GitHub Actions"},
}

var snippets = []string{
	"def avg(xs):\n    total = 0\n    for x in xs:\n        total += x\n    return total / len(xs)",
	"for (var i = 0; i < 5; i++) {\n  setTimeout(function () { console.log(i); }, 100);\n}",
	"func sum(ch chan int) int {\n\ttotal := 0\n\tfor v := range ch {\n\t\ttotal += v\n\t}\n\treturn total\n}",
	"SELECT customer_id, COUNT(*)\nFROM orders\nWHERE created_at > NOW() - INTERVAL '30 days'\nGROUP BY customer_id\nHAVING COUNT(*) > 3;",
	"const [count, setCount] = useState(0);\nuseEffect(() => {\n  setCount(count + 1);\n});",
	"public int find(int[] a, int t) {\n    int lo = 0, hi = a.length;\n    while (lo < hi) {\n        int mid = (lo + hi) / 2;\n        if (a[mid] < t) lo = mid + 1; else hi = mid;\n    }\n    return lo;\n}",
	"let v = vec![1, 2, 3];\nlet first = &v[0];\nv.push(4);\nprintln!(\"{}\", first);",
	"import re\npattern = r'^(\\d{3})-(\\d{4})$'\nprint(re.match(pattern, '555-1234').groups())",
	"#!/bin/bash\nfor f in *.log; do\n  gzip \"$f\"\ndone",
	"class Stack:\n    def __init__(self):\n        self.items = []\n    def pop(self):\n        return self.items.pop()",
}

func init() {
	register("code", "write", 60, func(g *G) example {
		return example{Text: g.casual(g.fill(g.pick([]string{
			"Write a {lang} function that {task}.", "How do I write a function in {lang} that {task}?", "Implement something in {lang} that {task}, with tests.",
			"Can you give me {lang} code that {task}?", "I need a script that {task}. Any language is fine.", "Write a REST endpoint in {lang} that returns the current time as JSON.",
			"Write a SQL query that returns the top 5 customers by total order value.", "Write a regex that matches US ZIP codes.", "Create a React component for a login form with validation.",
			"Write a unit test in {lang} for a function that {task}.", "Build a CLI tool in {lang} that {task}.",
		}), codeSlots))}
	})
	register("code", "debug", 50, func(g *G) example {
		instr := g.fill(g.pick([]string{
			"Why does this code give me `{err}`?", "I'm getting {err}. How do I fix it?", "This doesn't work, what's wrong?", "Find the bug in this code.",
			"Fix this code:", "Why does this print the wrong result?", "My code crashes with {err}, help", "What's wrong with my function?",
		}), codeSlots)
		return example{Text: g.wrap(instr, "```\n"+g.pick(snippets)+"\n```")}
	})
	register("code", "explain", 40, func(g *G) example {
		if g.chance(0.4) {
			return example{Text: g.casual(g.fill(g.pick([]string{
				"Explain the difference between a process and a thread.", "What is a closure in {lang}?", "Explain how async/await works in {lang}.",
				"What's the difference between an interface and an abstract class?", "Explain big-O notation with examples.", "How does garbage collection work in {lang}?",
				"What is dependency injection and why use it?", "Explain how quicksort works and its complexity.",
			}), codeSlots))}
		}
		instr := g.pick([]string{"What does this code do?", "Explain this code line by line.", "Can you explain what this snippet does?",
			"Review this code and suggest improvements.", "Is this code idiomatic? How would you refactor it?", "What is the time complexity of this?"})
		return example{Text: g.wrap(instr, "```\n"+g.pick(snippets)+"\n```")}
	})
	register("code", "ops", 35, func(g *G) example {
		return example{Text: g.casual(g.fill(g.pick([]string{
			"How do I undo the last commit in git without losing my changes?", "Write a Dockerfile for a Node.js app.", "How do I set up {tool} for a small project?",
			"My {tool} container keeps restarting, how do I debug it?", "Write a GitHub Actions workflow that runs tests on every push.",
			"How do I configure {tool} as a reverse proxy with HTTPS?", "What's the kubectl command to see logs of a crashed pod?",
			"How do I squash the last three commits?", "Write a bash one-liner to find the 10 largest files in a directory.",
		}), codeSlots))}
	})
	register("code", "stub", 45, func(g *G) example {
		stub := g.pick(stubs)
		instr := g.pick([]string{"Complete this function:", "Fill in the body.", "Implement this.", "Finish the implementation:",
			"Write the implementation and a few test cases.", "Can you implement this for me?", "", ""})
		if instr == "" {
			return example{Text: stub}
		}
		if g.chance(0.5) {
			return example{Text: instr + "\n\n" + stub}
		}
		return example{Text: stub + "\n\n" + instr}
	})
	register("code", "ml", 49, func(g *G) example {
		return example{Text: g.pick(langs[g.intn(len(langs))].coding)}
	})
}
