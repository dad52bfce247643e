package main

// The multiple-choice questions of mlmcq.go: Chinese, Japanese, Spanish,
// French. Written here.

type q4 = [4]string

var mlmcqLangs = append([]mlmcqLang{
	{ // Chinese
		questions: []mcq{
			{"下列哪个城市是澳大利亚的首都？", q4{"悉尼", "墨尔本", "堪培拉", "珀斯"}},
			{"人体最大的器官是什么？", q4{"肝脏", "皮肤", "心脏", "肺"}},
			{"《红楼梦》的作者是谁？", q4{"罗贯中", "施耐庵", "吴承恩", "曹雪芹"}},
			{"下列哪种气体是温室气体？", q4{"氮气", "二氧化碳", "氧气", "氩气"}},
		},
		fills: []mcq{
			{"光合作用主要发生在植物细胞的", q4{"线粒体", "叶绿体", "细胞核", "高尔基体"}},
			{"我国古代四大发明不包括", q4{"造纸术", "指南针", "火药", "地动仪"}},
			{"秦朝统一六国的时间是", q4{"公元前221年", "公元前206年", "公元前770年", "公元220年"}},
			{"在合同法中，要约生效的时间是", q4{"要约发出时", "要约到达受要约人时", "受要约人承诺时", "合同签订时"}},
			{"计算机中负责执行指令的部件是", q4{"硬盘", "内存", "中央处理器", "显卡"}},
			{"下列属于可再生能源的是", q4{"煤炭", "石油", "天然气", "风能"}},
			{"中医理论中，“五脏”不包括", q4{"心", "肝", "胃", "肾"}},
			{"货币政策的主要制定者通常是", q4{"财政部", "中央银行", "商业银行", "证券交易所"}},
			{"中国最长的河流是____。", q4{"黄河", "长江", "珠江", "黑龙江"}},
			{"电动机工作时把电能主要转化为", q4{"热能", "光能", "机械能", "化学能"}},
		},
		compute: []mcq{
			{"某商品原价200元，打八折后的价格是", q4{"120元", "160元", "180元", "150元"}},
			{"若2x + 3 = 11，则x等于", q4{"3", "4", "5", "7"}},
			{"一辆汽车以每小时60千米的速度行驶2.5小时，行驶的路程是多少？", q4{"120千米", "140千米", "150千米", "160千米"}},
		},
		answer:    []string{"答案：", "答案:", "正确答案是："},
		preambles: []string{"请回答下面的单选题。", "下面是一道选择题，请选出正确答案。", "选择题："},
	},
	{ // Japanese
		questions: []mcq{
			{"日本で最も高い山はどれですか？", q4{"北岳", "富士山", "槍ヶ岳", "立山"}},
			{"「源氏物語」の作者は誰ですか。", q4{"清少納言", "紫式部", "松尾芭蕉", "夏目漱石"}},
			{"水の化学式はどれか。", q4{"CO2", "H2O", "NaCl", "O2"}},
		},
		fills: []mcq{
			{"明治維新が始まったのは", q4{"1603年", "1868年", "1912年", "1945年"}},
			{"血液中で酸素を運ぶ役割を担うのは", q4{"白血球", "血小板", "赤血球", "血しょう"}},
			{"日本国憲法で国会の構成として正しいものは", q4{"一院制", "衆議院と参議院", "貴族院と衆議院", "内閣と国会"}},
			{"次のうち、哺乳類に属するものは", q4{"ペンギン", "クジラ", "サメ", "カエル"}},
		},
		compute: []mcq{
			{"時速40kmで3時間走ったときの距離は", q4{"100km", "110km", "120km", "130km"}},
			{"3x − 4 = 11 のとき、xの値は", q4{"3", "5", "7", "15"}},
		},
		answer:    []string{"答え：", "正解：", "解答："},
		preambles: []string{"次の問題に答えてください。", "以下の選択肢から正しいものを一つ選びなさい。"},
	},
	{ // Spanish
		questions: []mcq{
			{"¿Cuál es el océano más grande del planeta?", q4{"Atlántico", "Índico", "Pacífico", "Ártico"}},
			{"¿Quién escribió «Cien años de soledad»?", q4{"Mario Vargas Llosa", "Gabriel García Márquez", "Julio Cortázar", "Pablo Neruda"}},
			{"¿Qué órgano produce la insulina?", q4{"El hígado", "El páncreas", "El riñón", "El bazo"}},
		},
		fills: []mcq{
			{"La independencia de México se inició en el año", q4{"1776", "1810", "1821", "1910"}},
			{"El elemento químico cuyo símbolo es Fe es el", q4{"flúor", "fósforo", "hierro", "francio"}},
			{"En una economía, la inflación se define como", q4{"la subida general y sostenida de los precios", "la caída del empleo", "el aumento de las exportaciones", "la reducción de impuestos"}},
			{"La capital de Colombia es", q4{"Medellín", "Cali", "Bogotá", "Cartagena"}},
		},
		compute: []mcq{
			{"Si un artículo cuesta 80 euros y se aplica un descuento del 25 %, el precio final es", q4{"55 euros", "60 euros", "65 euros", "70 euros"}},
			{"¿Cuál es el valor de x si 5x − 2 = 18?", q4{"2", "3", "4", "5"}},
		},
		answer:    []string{"Respuesta:", "Respuesta correcta:"},
		preambles: []string{"Responde a la siguiente pregunta de opción múltiple.", "Elige la opción correcta."},
	},
	{ // French
		questions: []mcq{
			{"Quel est le plus long fleuve de France ?", q4{"La Seine", "La Loire", "Le Rhône", "La Garonne"}},
			{"Qui a peint « Les Nymphéas » ?", q4{"Renoir", "Monet", "Degas", "Cézanne"}},
			{"Quelle planète est la plus proche du Soleil ?", q4{"Vénus", "Mars", "Mercure", "La Terre"}},
		},
		fills: []mcq{
			{"La Déclaration des droits de l'homme et du citoyen a été adoptée en", q4{"1789", "1815", "1848", "1905"}},
			{"L'unité de mesure de la résistance électrique est", q4{"le volt", "l'ampère", "l'ohm", "le watt"}},
			{"Dans la cellule, la synthèse des protéines a lieu principalement dans", q4{"les ribosomes", "les lysosomes", "le noyau", "la membrane"}},
			{"Le pouvoir législatif en France est exercé par", q4{"le Conseil constitutionnel", "le Parlement", "le Premier ministre", "le Conseil d'État"}},
		},
		compute: []mcq{
			{"Un cycliste parcourt 45 km en 1 h 30. Sa vitesse moyenne est de", q4{"25 km/h", "30 km/h", "35 km/h", "40 km/h"}},
			{"Combien vaut 15 % de 240 ?", q4{"24", "30", "36", "40"}},
		},
		answer:    []string{"Réponse :", "Réponse:"},
		preambles: []string{"Répondez à la question à choix multiple suivante.", "Choisissez la bonne réponse."},
	},
}, mlmcqLangsB...)
