package main

import "fmt"

// Reasoning: multi-step arithmetic, algebra, probability, proofs and logic
// puzzles. Word problems are generated with fresh numbers and scenarios.

func init() {
	register("reasoning", "word", 80, wordProblem)
	register("reasoning", "logic", 18, func(g *G) example {
		return example{Text: g.pick([]string{
			"On an island, knights always tell the truth and knaves always lie. A says: \"B is a knave.\" B says: \"A and I are the same type.\" What are A and B?",
			"Five people sit in a row. Anna is not at either end. Ben sits next to Carl. Dana sits at the left end. Eve sits right of Anna. Who sits in the middle?",
			"All roses are flowers. Some flowers fade quickly. Can we conclude that some roses fade quickly? Explain.",
			"A farmer must cross a river with a wolf, a goat and a cabbage. The boat carries him and one item. How does he get everything across safely?",
			"You have 12 coins, one of which is counterfeit and lighter or heavier. With a balance scale and three weighings, how do you find it?",
			"If it takes 5 machines 5 minutes to make 5 widgets, how long would it take 100 machines to make 100 widgets?",
			"A bat and a ball cost $1.10 together. The bat costs $1.00 more than the ball. How much does the ball cost? Explain your reasoning.",
			"Three boxes are labeled apples, oranges and mixed, and every label is wrong. You may pick one fruit from one box. How do you relabel them?",
			"There are 100 lockers, all closed. Student 1 opens every locker, student 2 toggles every 2nd, student 3 every 3rd, and so on up to 100. Which are open at the end?",
			"Two doors, two guards: one always lies, one always tells the truth. One door leads out. What single question finds the exit?",
			"If some managers are engineers and no engineers are lawyers, can a manager be a lawyer? Reason it out.",
			"Tom is taller than Sue. Sue is taller than Raj. Raj is taller than Lee. Who is the second shortest?",
			"A clock shows 3:15. What is the angle between the hour and minute hands?",
			"Which number does not belong: 2, 3, 5, 9, 11, 13? Why?",
			"I am thinking of a two-digit number. The sum of its digits is 11, and if you reverse the digits the number grows by 27. What is it?",
			"A snail climbs 3 meters up a 10-meter well each day and slides back 2 meters each night. On which day does it reach the top?",
			"Four people must cross a bridge at night with one flashlight; they take 1, 2, 5 and 10 minutes. At most two cross at once. What is the minimum total time?",
			"Is the following argument valid? If the alarm rings, the dog barks. The dog is barking. Therefore the alarm rang.",
		})}
	})
	register("reasoning", "math", 60, func(g *G) example {
		a, b, c := g.rangeInt(2, 12), g.rangeInt(1, 30), g.rangeInt(2, 9)
		return example{Text: g.pick([]string{
			fmt.Sprintf("Solve for x: %dx + %d = %d", a, b, a*c+b),
			fmt.Sprintf("Find all real solutions of x^2 - %dx + %d = 0.", a+c, a*c),
			fmt.Sprintf("What is the derivative of f(x) = %dx^3 - %dx + %d?", a, b, c),
			fmt.Sprintf("Compute the integral of %dx^2 from 0 to %d.", a, c),
			fmt.Sprintf("What is the probability of rolling a sum of %d with two fair dice?", c+3),
			fmt.Sprintf("How many ways can %d people be arranged in a line if two of them refuse to stand together?", c+2),
			fmt.Sprintf("What comes next in the sequence %d, %d, %d, %d, ...?", a, a+c, a+3*c, a+6*c),
			"Prove that the square root of 2 is irrational.", "Prove that there are infinitely many prime numbers.",
			fmt.Sprintf("What is the sum of the first %d positive odd numbers? Justify the formula.", 10*c),
			fmt.Sprintf("A bag has %d red and %d blue marbles. Two are drawn without replacement. What is the probability both are red?", a, c),
			fmt.Sprintf("Find the remainder when 2^%d is divided by 7.", 10*a+b),
			fmt.Sprintf("Solve the system: x + y = %d and %dx - y = %d.", a+b, c, c*a-b),
			"Is 1001 a prime number? Explain how you checked.",
			fmt.Sprintf("Simplify (x^2 - %d) / (x - %d).", c*c, c),
			fmt.Sprintf("What is the expected number of coin flips to get %d heads in a row?", c%3+2),
			"Show that the sum of the angles of any triangle is 180 degrees.",
			fmt.Sprintf("Find the least common multiple of %d, %d and %d.", a, b+2, c),
		})}
	})
	register("reasoning", "estimate", 30, func(g *G) example {
		return example{Text: g.casual(g.pick([]string{
			"Estimate how many piano tuners there are in Chicago. Walk me through your assumptions.",
			"Roughly how many golf balls fit in a school bus? Reason step by step.",
			"If I save $300 a month and my savings earn 5% a year, how many years until I have $50,000? Show the calculation.",
			"My salary is $60,000 and I get a 4% raise every year. What will it be in 10 years, and what is the total earned?",
			"Our app has 20,000 users and grows 8% per month. When will we pass 100,000 users?",
			"Is it cheaper to lease a car for $350 a month for 3 years or buy it for $16,000 and sell it after 3 years for $9,000? Work it out.",
			"How long would it take to walk around the Earth at the equator, walking 8 hours a day? Reason it out.",
			"A pizza with 12-inch diameter costs $10 and a 16-inch one costs $16. Which is the better deal per square inch?",
			"If a leaky faucet drips once per second and 20 drops make a milliliter, how much water is wasted in a year?",
			"Which grows faster, 2^n or n^10? At what n does 2^n overtake n^10?",
		}))}
	})
	register("reasoning", "ml", 50, func(g *G) example {
		return example{Text: g.pick(langs[g.intn(len(langs))].reasoning)}
	})
}

// wordProblem returns an arithmetic word problem with fresh numbers.
func wordProblem(g *G) example {
	a, b, c := g.rangeInt(2, 40), g.rangeInt(2, 15), g.rangeInt(2, 9)
	name, name2 := g.pick(firstNames), g.pick(firstNames)
	tmpl := []string{
		"%s buys %d notebooks at $%d each and %d pens at $%d each. She pays with a $100 bill. How much change does she get?",
		"A train leaves the station at %d:00 traveling at %d km/h. A second train leaves the same station %d hours later at %d km/h on the same track. When does the second train catch up?",
		"%s can paint a fence in %d hours and %s can paint it in %d hours. How long will it take them working together?",
		"A shop sells a jacket for $%d. It is discounted by %d%%, and then a further %d%% is taken off the sale price. What is the final price?",
		"%s is %d years older than %s. In %d years, %s will be twice as old as %s. How old are they now?",
		"A recipe needs %d eggs for %d servings. How many eggs are needed for %d servings?",
		"A tank holds %d liters. It is filled at %d liters per minute and drains at %d liters per minute. How long until it is full?",
		"If %d workers build a wall in %d days, how many days would %d workers need, working at the same rate?",
		"%s invests $%d at %d%% annual interest compounded yearly. How much will she have after %d years?",
		"A rectangle's length is %d cm more than its width, and its perimeter is %d cm. What is its area?",
	}
	var t string
	switch i := g.intn(len(tmpl)); i {
	case 0:
		t = fmt.Sprintf(tmpl[0], name, c, b, a%7+1, c)
	case 1:
		t = fmt.Sprintf(tmpl[1], g.rangeInt(6, 11), 10*g.rangeInt(5, 9), c%3+1, 10*g.rangeInt(10, 14))
	case 2:
		t = fmt.Sprintf(tmpl[2], name, b, name2, b+c)
	case 3:
		t = fmt.Sprintf(tmpl[3], 10*a, 5*c, 5*(c%4+1))
	case 4:
		t = fmt.Sprintf(tmpl[4], name, a, name2, b, name, name2)
	case 5:
		t = fmt.Sprintf(tmpl[5], c, b, b*c+a%5)
	case 6:
		t = fmt.Sprintf(tmpl[6], 100*a, b+c, c)
	case 7:
		t = fmt.Sprintf(tmpl[7], c, b*2, c*2)
	case 8:
		t = fmt.Sprintf(tmpl[8], name, 1000*a, c, b%8+2)
	default:
		t = fmt.Sprintf(tmpl[9], b, 4*b+2*a)
	}
	if g.chance(0.3) {
		t += g.pick([]string{" Show your work.", " Explain step by step.", " Think it through before answering.", ""})
	}
	return example{Text: t}
}
