package main

// Multilingual material, written here: per language, short passages and
// documents, and prompts of every class. ml_b.go holds the other languages.

// lang holds one language's material.
type lang struct {
	code      string
	passages  []string // prose for summarization and entity extraction
	docs      []string // structured documents for extraction
	summarize []string // summarization instructions
	extract   []string // extraction instructions
	creative  []string
	chat      []string
	factual   []string
	reasoning []string
	coding    []string
}

var langs = []*lang{&zh, &es, &fr, &de, &ja, &ru, &pt, &ar}

var zh = lang{
	code: "zh",
	passages: []string{
		"上周，市政府宣布将在老城区新建三座公共图书馆，总投资约为两亿元。新图书馆除了藏书外，还将设有儿童阅读区、自习室和社区活动空间。市民对此普遍表示欢迎，但也有人担心周边交通会更加拥堵。据悉，第一座图书馆预计明年十月开放。",
		"研究人员对一千二百名大学生进行了为期一年的调查，发现每天使用手机超过六小时的学生，睡眠质量明显较差，考试成绩也平均低了百分之八。研究者建议学校开展相关讲座，帮助学生合理安排使用手机的时间。不过，他们也指出，这项研究只能说明相关性，不能证明因果关系。",
		"公司第二季度营收同比增长百分之十五，达到三点二亿元，其中海外市场贡献了百分之四十。由于原材料价格上涨，毛利率下降了两个百分点。管理层表示，下半年将重点控制成本，并计划在东南亚开设两家新工厂。",
	},
	docs: []string{
		"发票号码：20240518\n开票日期：2024年5月18日\n购买方：北京星河科技有限公司\n商品：笔记本电脑 2台，单价 6500元\n合计金额：13000元\n税额：1690元",
		"姓名：李明\n电话：138-0000-1234\n邮箱：liming@example.com\n工作经历：2019-2023 上海某软件公司 后端工程师\n技能：Java，Go，MySQL，Docker",
	},
	summarize: []string{"请总结下面这段文字的主要内容：", "用三句话概括以下内容。", "帮我把这篇文章总结一下，列出要点。", "请用一百字以内概括这段话。"},
	extract:   []string{"请从下面的文本中提取所有人名、地名和机构名，以JSON格式输出。", "从以下内容中提取关键信息（日期、金额、公司名称），用JSON返回。", "请把下面的信息整理成JSON，字段包括姓名、电话、邮箱和技能。", "提取文中出现的所有数字及其含义，输出为表格。"},
	creative: []string{
		"写一首关于秋天的七言诗", "帮我写一个关于小猫寻找回家之路的童话故事", "为一家新开的咖啡店写一段广告文案，风格要温暖", "以“时间”为主题写一篇散文，八百字左右",
		"写一段科幻小说的开头，主角是一名在火星上工作的工程师", "给我的男朋友写一封浪漫的生日祝福信", "创作一首关于毕业的歌词，包括主歌和副歌", "编一个有反转结局的悬疑小故事",
	},
	chat: []string{"你好！今天过得怎么样？", "哈哈，你真有意思", "谢谢你的帮助！", "早上好呀", "我今天有点累，想找人聊聊天", "你叫什么名字？", "晚安，明天见", "你喜欢什么样的音乐？", "好的，没问题", "周末有什么打算吗？"},
	factual: []string{
		"中国的首都是哪里？", "长城有多长？", "谁发明了造纸术？", "太阳系有几颗行星？", "第一次世界大战是哪一年开始的？", "DNA的全称是什么？",
		"珠穆朗玛峰有多高？", "《红楼梦》的作者是谁？", "光速是多少？", "为什么天空是蓝色的？", "什么是通货膨胀？", "联合国成立于哪一年？",
	},
	reasoning: []string{
		"小明有15个苹果，他给了小红三分之一，又吃了2个，还剩多少个？", "一个长方形的周长是30厘米，长比宽多3厘米，求它的面积。", "甲乙两人同时从相距120千米的两地相向而行，甲每小时走8千米，乙每小时走12千米，几小时后相遇？",
		"如果所有的猫都怕水，而咪咪是一只猫，那么咪咪怕水吗？请说明推理过程。", "解方程：2x + 5 = 17", "一件商品先涨价20%，再降价20%，现在的价格和原价相比是高了还是低了？",
		"某班有40名学生，其中喜欢数学的有25人，喜欢语文的有20人，两样都喜欢的有10人，两样都不喜欢的有几人？", "证明：任意三个连续整数的乘积能被6整除。",
	},
	coding: []string{
		"用Python写一个快速排序函数", "这段Java代码为什么会报空指针异常？\n```java\nString s = null;\nSystem.out.println(s.length());\n```", "如何用Go读取一个JSON文件并解析到结构体？", "写一个SQL查询，找出每个部门工资最高的员工",
		"解释一下JavaScript中的闭包是什么，并给个例子", "帮我写一个正则表达式，匹配中国大陆的手机号", "用C++实现一个链表的反转", "Docker容器启动后立即退出是什么原因？怎么排查？",
	},
}

var es = lang{
	code: "es",
	passages: []string{
		"El ayuntamiento de Valencia aprobó ayer un plan para plantar 20.000 árboles en los próximos cinco años con el objetivo de reducir la temperatura en los barrios más calurosos. El proyecto costará unos 12 millones de euros y se financiará en parte con fondos europeos. Los vecinos podrán proponer calles a través de una aplicación. Algunos grupos ecologistas consideran que la medida es insuficiente y piden también limitar el tráfico en el centro.",
		"Un estudio con 3.000 adultos mayores concluyó que caminar al menos 30 minutos al día reduce en un 25 % el riesgo de deterioro cognitivo. Los investigadores siguieron a los participantes durante ocho años. Aunque el trabajo no demuestra una relación de causa y efecto, los autores recomiendan incluir la actividad física en los programas de prevención de la demencia.",
		"La empresa cerró el año con ventas de 85 millones de euros, un 9 % más que el año anterior, gracias sobre todo a las exportaciones a América Latina. Sin embargo, el beneficio neto cayó un 4 % por el aumento de los costes energéticos. La dirección prevé abrir una nueva planta en México en 2026.",
	},
	docs: []string{
		"FACTURA N.º 2024-0871\nFecha: 14/03/2024\nCliente: Distribuciones Norte S.L.\nConcepto: 3 sillas de oficina x 120,00 €\nBase imponible: 360,00 €\nIVA (21 %): 75,60 €\nTotal: 435,60 €",
		"Hola Laura, te escribo para confirmar la reunión del jueves 12 a las 10:30 en la oficina de Madrid. Asistirán Pedro Gómez (ventas) y Ana Ruiz (legal). Por favor, trae el contrato revisado. Mi teléfono es +34 600 123 456. Saludos, Javier Martín",
	},
	summarize: []string{"Resume el siguiente texto en tres frases:", "¿Me puedes hacer un resumen de este artículo?", "Haz un resumen breve con los puntos clave:", "Resume esto en menos de 50 palabras."},
	extract:   []string{"Extrae los nombres de personas, empresas y lugares del siguiente texto y devuélvelos en formato JSON.", "Extrae el número de factura, la fecha, el cliente y el total, en JSON.", "Saca del siguiente correo la fecha, la hora y los asistentes de la reunión.", "Identifica todas las cantidades de dinero que aparecen en el texto y a qué se refieren."},
	creative: []string{
		"Escribe un poema sobre el mar y la nostalgia", "Cuéntame un cuento corto para niños sobre un dragón que tenía miedo a la oscuridad", "Escribe un eslogan creativo para una marca de zapatillas ecológicas", "Inventa una historia de terror que ocurra en un tren nocturno",
		"Escribe la letra de una canción de amor al estilo bolero", "Redacta un discurso emotivo para la boda de mi hermana", "Escribe un diálogo cómico entre un gato y un perro que comparten piso", "Crea un microrrelato de 100 palabras sobre la soledad",
	},
	chat: []string{"¡Hola! ¿Qué tal estás?", "Jaja, qué gracioso eres", "Muchas gracias por tu ayuda", "Buenos días", "Estoy aburrido, hablemos un rato", "¿Cómo te llamas?", "Buenas noches, hasta mañana", "¿Cuál es tu comida favorita?", "Vale, perfecto", "¿Qué haces en tu tiempo libre?"},
	factual: []string{
		"¿Cuál es la capital de Australia?", "¿Quién escribió Cien años de soledad?", "¿En qué año llegó el hombre a la Luna?", "¿Cuántos huesos tiene el cuerpo humano?", "¿Qué es la fotosíntesis?", "¿Dónde está el río Amazonas?",
		"¿Quién pintó el Guernica?", "¿Cuál es el planeta más grande del sistema solar?", "¿Por qué se producen las mareas?", "¿Qué significa la sigla ONU?", "¿Cuándo terminó la Segunda Guerra Mundial?",
	},
	reasoning: []string{
		"María tiene el doble de edad que su hermano. Dentro de 5 años, la suma de sus edades será 40. ¿Cuántos años tiene cada uno?", "Un tren sale a las 9:00 a 80 km/h y otro sale a las 10:00 a 120 km/h por la misma vía. ¿A qué hora alcanza el segundo al primero?", "Resuelve el sistema: x + y = 10, x - y = 4",
		"Si un grifo llena un depósito en 6 horas y otro en 3 horas, ¿cuánto tardan los dos juntos?", "Tres amigos se reparten 90 euros en proporción 2:3:4. ¿Cuánto recibe cada uno?", "Demuestra que la suma de dos números impares es siempre par.",
		"En una caja hay 5 bolas rojas y 3 azules. Si saco dos sin reposición, ¿cuál es la probabilidad de que ambas sean rojas?",
	},
	coding: []string{
		"Escribe una función en Python que invierta una cadena", "¿Por qué mi código de JavaScript devuelve undefined?\n```js\nfunction suma(a, b) { a + b }\nconsole.log(suma(2, 3))\n```", "Cómo conecto una base de datos PostgreSQL desde Node.js", "Escribe una consulta SQL que cuente los pedidos por cliente",
		"Explícame qué hace este código: `[x*2 for x in range(10) if x % 2 == 0]`", "Crea una API REST en Go con un endpoint /salud", "Cómo hago un merge de dos ramas en git sin perder cambios",
	},
}

var fr = lang{
	code: "fr",
	passages: []string{
		"La ville de Lyon a annoncé la création de 40 kilomètres de nouvelles pistes cyclables d'ici 2027. Le projet, d'un coût de 35 millions d'euros, vise à doubler le nombre de trajets quotidiens à vélo. Les commerçants du centre-ville craignent une baisse de fréquentation liée à la suppression de places de stationnement, tandis que les associations de cyclistes saluent une décision attendue depuis longtemps.",
		"Une étude menée auprès de 5 000 salariés montre que la semaine de quatre jours améliore le bien-être sans réduire la productivité. Dans les entreprises participantes, l'absentéisme a baissé de 20 % et le nombre de démissions a diminué. Les auteurs soulignent toutefois que l'expérience a surtout concerné des emplois de bureau et que les résultats pourraient être différents dans l'industrie ou la santé.",
	},
	docs: []string{
		"Facture n° F-3391\nDate : 02/09/2024\nClient : Boulangerie Martin, 12 rue des Lilas, 69003 Lyon\n2 fours professionnels – 4 200,00 € HT\nTVA 20 % : 840,00 €\nTotal TTC : 5 040,00 €\nÉchéance : 30 jours",
		"Bonjour, je m'appelle Claire Dubois, j'ai 34 ans et je suis infirmière à l'hôpital de Nantes depuis 2015. Vous pouvez me joindre au 06 12 34 56 78 ou par e-mail à claire.dubois@example.fr. Je parle français, anglais et espagnol.",
	},
	summarize: []string{"Résume ce texte en trois phrases :", "Peux-tu me faire un résumé de cet article ?", "Donne-moi les points clés de ce texte.", "Fais un résumé très court (deux lignes) du passage suivant."},
	extract:   []string{"Extrais les noms de personnes, d'organisations et de lieux de ce texte, au format JSON.", "Extrais le numéro de facture, la date, le client et le montant TTC en JSON.", "Récupère les coordonnées (nom, téléphone, e-mail) dans le texte suivant.", "Relève tous les chiffres et pourcentages du texte avec ce qu'ils mesurent."},
	creative: []string{
		"Écris un poème sur la pluie à Paris", "Raconte-moi une histoire courte sur un robot qui apprend à peindre", "Écris un slogan pour une boulangerie bio", "Imagine le début d'un roman policier qui se passe à Marseille",
		"Écris une lettre d'amour dans le style du XIXe siècle", "Compose une chanson pour l'anniversaire de ma grand-mère", "Écris un conte de fées moderne avec une princesse informaticienne",
	},
	chat: []string{"Salut ! Ça va ?", "Merci beaucoup, t'es génial", "Bonjour, comment allez-vous ?", "Je m'ennuie un peu, on discute ?", "Haha trop drôle", "Bonne nuit !", "Tu t'appelles comment ?", "D'accord, super", "Tu fais quoi ce week-end ?"},
	factual: []string{
		"Quelle est la capitale du Canada ?", "Qui a écrit Les Misérables ?", "En quelle année a eu lieu la Révolution française ?", "Combien d'habitants compte la France ?", "Qu'est-ce qu'un trou noir ?", "Quelle est la plus haute montagne d'Europe ?",
		"Qui a découvert la pénicilline ?", "Pourquoi les feuilles changent-elles de couleur en automne ?", "Quelle est la différence entre un virus et une bactérie ?", "Où se trouve le musée du Louvre ?",
	},
	reasoning: []string{
		"Un cycliste parcourt 45 km en 1 h 30. À cette vitesse, combien de temps lui faut-il pour parcourir 120 km ?", "Résous l'équation 3x - 7 = 2x + 5.", "Paul a trois fois l'âge de son fils. Dans 12 ans, il n'aura plus que le double. Quel âge ont-ils ?",
		"Si tous les oiseaux ont des plumes et que certains animaux à plumes ne volent pas, peut-on conclure que certains oiseaux ne volent pas ? Explique.", "Un prix baisse de 25 % puis augmente de 25 %. Quel est le pourcentage de variation total ?", "Combien de façons y a-t-il d'asseoir 5 personnes autour d'une table ronde ?",
	},
	coding: []string{
		"Écris une fonction Python qui vérifie si un mot est un palindrome", "Pourquoi ce code plante-t-il ?\n```python\nd = {}\nprint(d['cle'])\n```", "Comment faire une requête HTTP en Go ?", "Écris une requête SQL qui affiche les 10 produits les plus vendus",
		"Explique la différence entre let, const et var en JavaScript", "Comment configurer un fichier Dockerfile pour une application Flask ?",
	},
}

var de = lang{
	code: "de",
	passages: []string{
		"Die Stadt Hamburg will bis 2030 alle städtischen Busse auf Elektroantrieb umstellen. Dafür sollen in den nächsten Jahren rund 500 Millionen Euro investiert werden, unter anderem in neue Ladestationen auf den Betriebshöfen. Der Verkehrsverbund rechnet mit deutlich geringeren Betriebskosten, kritisiert aber die langen Lieferzeiten der Hersteller. Umweltverbände begrüßen den Plan, fordern jedoch zusätzlich einen Ausbau des Radverkehrs.",
		"Eine Umfrage unter 2.000 Beschäftigten ergab, dass 60 Prozent mindestens einen Tag pro Woche im Homeoffice arbeiten möchten. Gleichzeitig gaben viele an, den persönlichen Austausch mit Kollegen zu vermissen. Besonders jüngere Mitarbeitende wünschen sich mehr Zeit im Büro, um von erfahrenen Kolleginnen und Kollegen zu lernen.",
	},
	docs: []string{
		"Rechnung Nr. 2024-117\nDatum: 21.06.2024\nKunde: Schreinerei Becker GmbH, Hauptstraße 5, 80331 München\nPosition 1: Akkuschrauber, 4 Stück à 89,00 €\nNettobetrag: 356,00 €\nMwSt. 19 %: 67,64 €\nGesamtbetrag: 423,64 €",
		"Sehr geehrte Frau Schneider, hiermit bestätigen wir Ihren Termin am Dienstag, den 8. Oktober, um 14:00 Uhr bei Dr. Weber in der Praxis am Marktplatz 3. Bitte bringen Sie Ihre Versichertenkarte mit. Bei Rückfragen erreichen Sie uns unter 030 1234567.",
	},
	summarize: []string{"Fasse den folgenden Text in drei Sätzen zusammen:", "Kannst du mir eine kurze Zusammenfassung dieses Artikels geben?", "Was sind die wichtigsten Punkte dieses Textes?", "Fasse das bitte in maximal 50 Wörtern zusammen."},
	extract:   []string{"Extrahiere alle Personen, Organisationen und Orte aus dem folgenden Text als JSON.", "Lies aus der Rechnung Rechnungsnummer, Datum, Kunde und Gesamtbetrag aus und gib sie als JSON zurück.", "Entnimm der folgenden Nachricht Datum, Uhrzeit und Ort des Termins.", "Liste alle Geldbeträge im Text mit ihrer Bedeutung auf."},
	creative: []string{
		"Schreib ein Gedicht über den Herbst im Wald", "Erzähl mir eine Gutenachtgeschichte über einen kleinen Igel", "Schreibe einen Werbetext für ein neues Fahrradgeschäft", "Schreib eine Kurzgeschichte über eine Zeitreise ins Mittelalter",
		"Verfasse eine lustige Rede für den 50. Geburtstag meines Vaters", "Schreib einen Songtext über Fernweh", "Denk dir einen spannenden Anfang für einen Krimi in Berlin aus",
	},
	chat: []string{"Hallo! Wie geht's dir?", "Danke, das ist sehr nett", "Guten Morgen!", "Mir ist langweilig, lass uns quatschen", "Haha, der war gut", "Gute Nacht!", "Wie heißt du eigentlich?", "Alles klar, danke", "Was machst du gerne am Wochenende?"},
	factual: []string{
		"Was ist die Hauptstadt von Kanada?", "Wer hat die Relativitätstheorie entwickelt?", "Wann fiel die Berliner Mauer?", "Wie hoch ist die Zugspitze?", "Was ist Photosynthese?", "Wie viele Bundesländer hat Deutschland?",
		"Wer schrieb Faust?", "Warum ist das Meer salzig?", "Was ist der Unterschied zwischen Wetter und Klima?", "Welcher Fluss ist der längste Europas?",
	},
	reasoning: []string{
		"Ein Auto fährt 240 km in 3 Stunden. Wie lange braucht es bei gleicher Geschwindigkeit für 400 km?", "Löse die Gleichung 5x + 3 = 2x + 18.", "Anna ist doppelt so alt wie Ben. Vor fünf Jahren war sie dreimal so alt. Wie alt sind beide heute?",
		"Wenn es regnet, ist die Straße nass. Die Straße ist nass. Folgt daraus, dass es geregnet hat? Begründe.", "In einer Urne sind 4 weiße und 6 schwarze Kugeln. Wie groß ist die Wahrscheinlichkeit, zweimal hintereinander Weiß zu ziehen (ohne Zurücklegen)?", "Beweise, dass die Wurzel aus 2 irrational ist.",
	},
	coding: []string{
		"Schreibe eine Python-Funktion, die prüft, ob eine Zahl eine Primzahl ist", "Warum bekomme ich hier einen IndexError?\n```python\nliste = [1, 2, 3]\nprint(liste[3])\n```", "Wie lese ich in Java eine Datei Zeile für Zeile ein?", "Schreib eine SQL-Abfrage, die den Durchschnittsumsatz pro Monat berechnet",
		"Erkläre mir, was ein Mutex in Go ist", "Wie richte ich eine GitHub-Action ein, die bei jedem Push die Tests ausführt?",
	},
}
