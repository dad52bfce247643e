package main

// Labeling words in English, Chinese, Japanese, Spanish and French, written
// here (see mclabel.go).

var mclEnglish = mclLang{
	asks: map[string][]string{
		"sentiment": {"Classify the sentiment of this {k}.", "What is the sentiment of the {k} below?", "Is this {k} positive or negative?", "Choose the sentiment that fits the {k}.", "How does the writer of this {k} feel about the product?"},
		"topic":     {"Which category does this {k} belong to?", "Pick the topic of the {k}.", "Assign the {k} to one of the categories.", "What is this {k} about? Choose one."},
		"intent":    {"What does the customer want in this {k}?", "Classify the intent of the {k}.", "Route this {k} to the right team."},
		"emotion":   {"Which emotion does this {k} express?", "Label the emotion in the {k}.", "What is the mood of the {k}?"},
	},
	labels: map[string][][]string{
		"sentiment": {{"positive", "negative", "neutral"}, {"positive", "negative"}, {"1 star", "3 stars", "5 stars"}},
		"topic":     {{"politics", "business", "sports", "technology"}, {"health", "science", "entertainment", "world"}},
		"intent":    {{"billing", "technical issue", "account", "shipping"}, {"refund request", "bug report", "question", "complaint"}},
		"emotion":   {{"joy", "anger", "sadness", "fear"}, {"happy", "annoyed", "worried", "excited"}},
	},
	items: []mclItem{
		{"sentiment", "review", "The strap broke after a week and the seller ignored my messages."},
		{"sentiment", "review", "Comfortable, quiet, and the battery lasts forever. Very happy."},
		{"sentiment", "comment", "It works, I guess. Nothing special for the money."},
		{"topic", "headline", "Storm knocks out power to thousands along the coast"},
		{"topic", "headline", "Tech firm cuts a tenth of its staff after weak sales"},
		{"intent", "ticket", "I was billed for two seats but we only use one."},
		{"intent", "message", "The mobile app logs me out every few minutes."},
		{"emotion", "post", "three years of night classes and I finally have my degree!!"},
		{"emotion", "sentence", "The doctor still hasn't called back with the results."},
	},
	quotes: [][2]string{{`"`, `"`}, {"Text: ", ""}, {"", ""}},
}

var mclChinese = mclLang{
	asks: map[string][]string{
		"sentiment": {"判断下面这条{k}的情感倾向。", "这条{k}是正面的还是负面的？", "请选择最符合这条{k}的情感。"},
		"topic":     {"这条{k}属于哪个类别？", "请给下面的{k}分类。", "选出这条{k}的主题。"},
		"intent":    {"请对以下{k}进行分类。", "用户发这条{k}想要做什么？"},
		"emotion":   {"这句话表达了什么情绪？", "判断下面这条{k}的情绪。"},
	},
	labels: map[string][][]string{
		"sentiment": {{"正面", "负面", "中性"}, {"好评", "差评"}},
		"topic":     {{"体育", "财经", "科技", "娱乐"}, {"政治", "健康", "教育", "社会"}},
		"intent":    {{"退款", "物流查询", "账户问题", "其他"}, {"投诉", "咨询", "建议"}},
		"emotion":   {{"高兴", "愤怒", "悲伤", "害怕"}, {"开心", "失望", "担心"}},
	},
	items: []mclItem{
		{"sentiment", "评论", "物流太慢了，等了十天才到，包装还是破的。"},
		{"sentiment", "评论", "味道很好，分量也足，会再来。"},
		{"sentiment", "评价", "一般般吧，和图片上差不多。"},
		{"topic", "新闻", "央行宣布下调存款准备金率"},
		{"topic", "新闻标题", "新款手机发布，续航提升百分之三十"},
		{"intent", "用户反馈", "我的订单显示已签收，但是我没有收到。"},
		{"intent", "消息", "怎么修改绑定的手机号？"},
		{"emotion", "微博", "终于考完试了，今晚好好睡一觉！"},
		{"emotion", "留言", "排了两个小时的队，结果告诉我卖完了。"},
	},
	quotes: [][2]string{{"“", "”"}, {"「", "」"}, {"内容：", ""}},
}

var mclJapanese = mclLang{
	asks: map[string][]string{
		"sentiment": {"次の{k}の感情を分類してください。", "この{k}は肯定的ですか、否定的ですか。", "{k}の評価として最も適切なものを選んでください。"},
		"topic":     {"この{k}はどのカテゴリに当たりますか。", "次の{k}のジャンルを選んでください。"},
		"intent":    {"以下の{k}をカテゴリに分けてください。", "この{k}の目的を選んでください。"},
		"emotion":   {"この{k}から読み取れる感情はどれですか。", "次の{k}の気持ちを分類してください。"},
	},
	labels: map[string][][]string{
		"sentiment": {{"ポジティブ", "ネガティブ", "中立"}, {"良い", "悪い"}},
		"topic":     {{"スポーツ", "経済", "政治", "科学"}, {"エンタメ", "テクノロジー", "健康"}},
		"intent":    {{"請求", "配送", "技術的な問題", "その他"}, {"解約", "質問", "苦情"}},
		"emotion":   {{"喜び", "怒り", "悲しみ", "驚き"}, {"安心", "不安", "いらだち"}},
	},
	items: []mclItem{
		{"sentiment", "レビュー", "画面がきれいで動作も速い。買ってよかった。"},
		{"sentiment", "口コミ", "店員の態度が悪く、料理も冷めていた。"},
		{"topic", "見出し", "円安が進み、輸入品の値上げが続く"},
		{"topic", "ニュース", "代表チームが延長戦の末に初優勝"},
		{"intent", "問い合わせ", "注文した色と違う商品が届きました。"},
		{"intent", "メッセージ", "パスワードを変更できません。"},
		{"emotion", "投稿", "やっと週末だ、明日は海に行く！"},
		{"emotion", "文", "財布をどこかに落としてしまったみたいだ。"},
	},
	quotes: [][2]string{{"「", "」"}, {"『", "』"}, {"本文：", ""}},
}

var mclSpanish = mclLang{
	asks: map[string][]string{
		"sentiment": {"Clasifica el sentimiento de la siguiente {k}.", "¿La {k} es positiva o negativa?", "¿Qué opinión expresa esta {k}?"},
		"topic":     {"¿A qué categoría pertenece esta {k}?", "Elige el tema de la {k}."},
		"intent":    {"Lee la {k} y elige la categoría correcta.", "¿Qué quiere el cliente en esta {k}?"},
		"emotion":   {"¿Qué emoción transmite esta {k}?", "Etiqueta la emoción de la {k}."},
	},
	labels: map[string][][]string{
		"sentiment": {{"positivo", "negativo", "neutral"}, {"positiva", "negativa"}},
		"topic":     {{"política", "economía", "deportes", "tecnología"}, {"salud", "cultura", "ciencia"}},
		"intent":    {{"facturación", "problema técnico", "envío", "cuenta"}, {"devolución", "consulta", "queja"}},
		"emotion":   {{"alegría", "enojo", "tristeza", "miedo"}, {"sorpresa", "calma", "preocupación"}},
	},
	items: []mclItem{
		{"sentiment", "reseña", "El hotel estaba sucio y el personal fue muy antipático."},
		{"sentiment", "reseña", "La comida llegó caliente y a tiempo, muy recomendable."},
		{"topic", "noticia", "El gobierno aprueba una subida del salario mínimo"},
		{"topic", "noticia", "Un equipo local gana la final en los penaltis"},
		{"intent", "consulta", "Me cobraron dos veces la suscripción de este mes."},
		{"intent", "queja", "El repartidor dejó el paquete bajo la lluvia."},
		{"emotion", "publicación", "¡Hoy nació mi sobrina y estoy feliz!"},
		{"emotion", "frase", "Otra vez se canceló el tren y llegué tarde."},
	},
	quotes: [][2]string{{"«", "»"}, {`"`, `"`}, {"Texto: ", ""}},
}

var mclFrench = mclLang{
	asks: map[string][]string{
		"sentiment": {"Classez le sentiment de cet {k}.", "Cet {k} est-il positif ou négatif ?", "Quel sentiment exprime cet {k} ?"},
		"topic":     {"Dans quelle rubrique classer ce {k} ?", "Choisissez le thème de ce {k}."},
		"intent":    {"Indiquez la catégorie du {k} ci-dessous.", "Que demande le client dans ce {k} ?"},
		"emotion":   {"Quelle émotion ce {k} exprime-t-il ?", "Étiquetez l'émotion du {k}."},
	},
	labels: map[string][][]string{
		"sentiment": {{"positif", "négatif", "neutre"}, {"positif", "négatif"}},
		"topic":     {{"politique", "économie", "sport", "technologie"}, {"santé", "culture", "sciences"}},
		"intent":    {{"facturation", "livraison", "compte", "autre"}, {"remboursement", "question", "réclamation"}},
		"emotion":   {{"joie", "colère", "tristesse", "peur"}, {"surprise", "soulagement", "inquiétude"}},
	},
	items: []mclItem{
		{"sentiment", "avis", "Livraison rapide et produit conforme, je recommande."},
		{"sentiment", "avis", "Le son grésille dès qu'on monte le volume, déçu."},
		{"topic", "titre", "Le Parlement adopte la réforme des retraites"},
		{"topic", "article", "Une start-up lyonnaise lève vingt millions d'euros"},
		{"intent", "message", "Le colis n'est jamais arrivé et personne ne répond."},
		{"intent", "courriel", "Je n'arrive plus à me connecter à mon compte."},
		{"emotion", "message", "J'ai enfin eu mon permis de conduire !"},
		{"emotion", "tweet", "Encore une panne de courant, ça fait trois fois cette semaine."},
	},
	quotes: [][2]string{{"« ", " »"}, {`"`, `"`}, {"Texte : ", ""}},
}
