package main

var ja = lang{
	code: "ja",
	passages: []string{
		"市は来年度から、すべての公立小学校で給食費を無償化すると発表した。対象となる児童は約二万人で、年間の費用はおよそ十五億円と見込まれている。子育て世帯の負担軽減が目的だが、財源の確保について議会から疑問の声も上がっている。市長は、他の事業の見直しによって費用をまかなうと説明した。",
		"ある調査によると、在宅勤務を導入した企業の七割が、社員の満足度が向上したと回答した。一方で、コミュニケーション不足や新人教育の難しさを課題として挙げる企業も多かった。専門家は、出社と在宅を組み合わせたハイブリッド型の働き方が今後の主流になると予測している。",
	},
	docs: []string{
		"請求書番号：INV-5521\n発行日：2024年7月1日\n宛先：株式会社サクラ商事 御中\n品目：ノートパソコン 3台 × 120,000円\n小計：360,000円\n消費税（10%）：36,000円\n合計：396,000円",
		"山田太郎様\n先日はお打ち合わせありがとうございました。次回の会議は9月15日（金）午後2時から、本社3階の会議室で行います。資料は前日までにメールでお送りします。\n株式会社ミライ 佐藤花子\n電話：03-1234-5678",
	},
	summarize: []string{"次の文章を三行で要約してください。", "この記事の要点をまとめてください。", "以下の内容を簡潔に要約して。", "この文章を100文字以内でまとめてください。"},
	extract:   []string{"次の文章から人名、組織名、地名を抽出してJSON形式で出力してください。", "請求書から請求書番号、日付、宛先、合計金額を抜き出してJSONで返してください。", "以下のメールから会議の日時と場所を抽出してください。", "文中の数値をすべて抜き出し、それぞれ何を表すか表にしてください。"},
	creative: []string{
		"春をテーマにした俳句を五つ作ってください", "猫が主人公の短い童話を書いて", "新しいラーメン店のキャッチコピーを考えてください", "異世界に転生した料理人の物語のあらすじを書いて",
		"友人の結婚式のスピーチを書いてください", "夏の終わりをテーマにした歌詞を書いて", "ミステリー小説の冒頭を書いてください",
	},
	chat: []string{"こんにちは！元気？", "ありがとう、助かったよ", "おはようございます", "ちょっと暇だから話そうよ", "あはは、面白いね", "おやすみなさい", "あなたの名前は何ですか？", "了解です", "週末は何をする予定？"},
	factual: []string{
		"日本で一番高い山は何ですか？", "源氏物語を書いたのは誰ですか？", "第二次世界大戦が終わったのは何年ですか？", "光合成とは何ですか？", "オーストラリアの首都はどこですか？", "地球から月までの距離はどれくらいですか？",
		"なぜ空は青いのですか？", "ノーベル賞を創設したのは誰ですか？", "富士山が最後に噴火したのはいつですか？",
	},
	reasoning: []string{
		"りんごが1個120円、みかんが1個80円です。合わせて10個買って1000円払いました。りんごは何個買いましたか？", "方程式 4x - 3 = 2x + 9 を解いてください。", "AさんはBさんより5歳年上で、2人の年齢の合計は41歳です。それぞれ何歳ですか？",
		"サイコロを2回振って、出た目の和が7になる確率を求めてください。", "時速60kmで走る車が、2時間30分で進む距離は何kmですか？", "すべての鳥は卵を産む。ペンギンは鳥である。この推論から何が言えるか説明してください。",
	},
	coding: []string{
		"Pythonでフィボナッチ数列を計算する関数を書いてください", "このコードのエラーの原因を教えてください\n```js\nconst arr = [1, 2, 3];\narr = [4, 5];\n```", "Goでゴルーチンを使って並行処理をする方法を教えて", "SQLで重複した行を削除するにはどうすればいいですか？",
		"Rustの所有権について説明してください", "gitで直前のコミットを取り消す方法は？",
	},
}

var ru = lang{
	code: "ru",
	passages: []string{
		"Городские власти объявили о строительстве новой линии метро, которая соединит спальные районы на севере с центром города. Стоимость проекта оценивается в 90 миллиардов рублей, а первые станции планируется открыть через четыре года. Жители приветствуют решение, однако эксперты предупреждают, что сроки строительства могут сдвинуться из-за сложных геологических условий.",
		"Исследование, в котором участвовали 1500 школьников, показало, что регулярные занятия спортом связаны с более высокой успеваемостью по математике. Авторы подчеркивают, что речь идёт о корреляции, а не о причинно-следственной связи, и призывают провести дополнительные эксперименты.",
	},
	docs: []string{
		"Счёт № 348 от 15.04.2024\nПоставщик: ООО «Северный ветер»\nПокупатель: ИП Иванов А. С.\nТовар: принтер лазерный, 2 шт. по 18 500 руб.\nИтого: 37 000 руб.\nНДС 20%: 7 400 руб.",
		"Здравствуйте, Ольга! Напоминаю, что собеседование с кандидатом Петровым Сергеем назначено на среду, 22 мая, в 11:00 в переговорной №2. Его телефон: +7 912 345-67-89. С уважением, Мария Кузнецова, отдел кадров.",
	},
	summarize: []string{"Кратко перескажи этот текст в трёх предложениях:", "Сделай краткое резюме статьи.", "Выдели основные мысли этого текста.", "Сократи этот текст до двух-трёх строк."},
	extract:   []string{"Извлеки из текста все имена людей, организации и места и выведи их в формате JSON.", "Извлеки из счёта номер, дату, поставщика и итоговую сумму в JSON.", "Найди в письме дату, время и место встречи.", "Выпиши все числа из текста и что они означают."},
	creative: []string{
		"Напиши стихотворение о зимнем вечере", "Придумай сказку про храброго зайца", "Напиши рекламный слоган для кофейни", "Сочини короткий рассказ о космонавте, который потерялся во времени",
		"Напиши поздравление с днём рождения для коллеги в шутливом стиле", "Напиши текст песни о дороге домой",
	},
	chat: []string{"Привет! Как дела?", "Спасибо большое!", "Доброе утро", "Мне скучно, давай поболтаем", "Ха-ха, смешно", "Спокойной ночи", "Как тебя зовут?", "Хорошо, договорились", "Что делаешь на выходных?"},
	factual: []string{
		"Какая самая длинная река в мире?", "Кто написал «Войну и мир»?", "В каком году был запущен первый искусственный спутник Земли?", "Что такое фотосинтез?", "Какая столица Японии?", "Сколько планет в Солнечной системе?",
		"Почему небо голубое?", "Кто открыл закон всемирного тяготения?", "Какова высота Эльбруса?",
	},
	reasoning: []string{
		"У Маши было 24 конфеты. Она отдала четверть брату, а потом съела 5. Сколько конфет осталось?", "Реши уравнение: 7x - 4 = 3x + 12.", "Поезд прошёл 360 км за 4 часа. Какой путь он пройдёт за 7 часов с той же скоростью?",
		"Из колоды в 36 карт наугад вытаскивают одну. Какова вероятность, что это туз?", "Докажи, что сумма углов треугольника равна 180 градусам.", "Отец старше сына на 24 года, а через 6 лет будет старше его в три раза. Сколько лет каждому?",
	},
	coding: []string{
		"Напиши функцию на Python, которая считает количество гласных в строке", "Почему этот код выдаёт ошибку?\n```python\nx = '5' + 3\n```", "Как в Go обработать ошибку при открытии файла?", "Напиши SQL-запрос для выбора пользователей, зарегистрированных за последний месяц",
		"Объясни, что такое рекурсия, на примере", "Как настроить nginx как обратный прокси для приложения на порту 3000?",
	},
}

var pt = lang{
	code: "pt",
	passages: []string{
		"A prefeitura de São Paulo anunciou um programa para reformar 200 escolas públicas até 2026, com investimento de 1,5 bilhão de reais. As obras incluem novas quadras esportivas, bibliotecas e a instalação de painéis solares. O sindicato dos professores elogiou a iniciativa, mas cobrou também aumento salarial e contratação de mais funcionários.",
		"Uma pesquisa com 4 mil brasileiros mostrou que 45% compram pela internet pelo menos uma vez por mês, principalmente roupas e eletrônicos. O principal motivo citado foi o preço mais baixo, seguido pela comodidade. Por outro lado, muitos reclamaram dos prazos de entrega e das dificuldades para trocar produtos.",
	},
	docs: []string{
		"NOTA FISCAL Nº 000.452\nData de emissão: 10/05/2024\nCliente: Padaria Bom Pão Ltda.\nProduto: forno elétrico industrial, 1 unidade, R$ 7.800,00\nFrete: R$ 250,00\nTotal: R$ 8.050,00",
		"Oi Carla, a entrevista com a candidata Juliana Souza ficou marcada para sexta-feira, dia 7, às 15h, no escritório do Rio. O e-mail dela é juliana.souza@example.com.br e o telefone (21) 99876-5432. Abraços, Ricardo",
	},
	summarize: []string{"Resuma o texto a seguir em três frases:", "Pode fazer um resumo deste artigo?", "Quais são os pontos principais deste texto?", "Resuma isso em poucas palavras."},
	extract:   []string{"Extraia os nomes de pessoas, empresas e lugares do texto abaixo em formato JSON.", "Extraia o número da nota, a data, o cliente e o valor total em JSON.", "Tire da mensagem a data, o horário e o contato da candidata.", "Liste todos os valores numéricos do texto e o que cada um significa."},
	creative: []string{
		"Escreva um poema sobre saudade", "Conte uma história infantil sobre uma tartaruga que queria voar", "Crie um slogan para uma loja de açaí", "Escreva o começo de um romance policial que se passa em Lisboa",
		"Escreva uma mensagem de aniversário divertida para minha melhor amiga", "Componha uma letra de samba sobre o carnaval",
	},
	chat: []string{"Oi! Tudo bem?", "Valeu pela ajuda!", "Bom dia!", "Tô entediado, vamos conversar?", "Kkkk muito bom", "Boa noite!", "Qual é o seu nome?", "Beleza, combinado", "O que você faz no fim de semana?"},
	factual: []string{
		"Qual é a capital da Austrália?", "Quem escreveu Os Lusíadas?", "Em que ano o Brasil se tornou independente?", "O que é a fotossíntese?", "Qual é o maior oceano do mundo?", "Quantos estados tem o Brasil?",
		"Por que o céu é azul?", "Quem inventou o avião?", "Qual é a diferença entre clima e tempo?",
	},
	reasoning: []string{
		"João tem o triplo da idade de Pedro. Daqui a 10 anos, terá o dobro. Quantos anos tem cada um?", "Resolva a equação 6x + 2 = 4x + 14.", "Um carro consome 8 litros a cada 100 km. Quantos litros gasta para percorrer 350 km?",
		"Se lanço uma moeda três vezes, qual é a probabilidade de sair pelo menos uma cara?", "Prove que o produto de dois números pares é par.", "Uma loja deu 15% de desconto e o produto ficou por R$ 170. Qual era o preço original?",
	},
	coding: []string{
		"Escreva uma função em Python que conte as palavras de um texto", "Por que esse código dá erro?\n```java\nint[] v = new int[3];\nv[3] = 10;\n```", "Como fazer uma requisição POST com fetch em JavaScript?", "Escreva uma query SQL que mostre o total de vendas por mês",
		"Explique o que é uma API REST", "Como criar um ambiente virtual em Python?",
	},
}

var ar = lang{
	code: "ar",
	passages: []string{
		"أعلنت وزارة التعليم عن خطة لبناء مئة مدرسة جديدة خلال السنوات الثلاث المقبلة بتكلفة تقدر بملياري دولار. وتهدف الخطة إلى تقليل عدد الطلاب في الفصول وتحسين جودة التعليم في المناطق الريفية. ورحب أولياء الأمور بالقرار، بينما طالب المعلمون بزيادة الرواتب وتوفير التدريب المستمر.",
		"أظهرت دراسة شملت ألفي شخص أن تناول الخضروات والفواكه يوميا يقلل خطر الإصابة بأمراض القلب بنسبة عشرين في المئة. وأوصى الباحثون بتناول خمس حصص على الأقل يوميا، مع ممارسة الرياضة بانتظام.",
	},
	docs: []string{
		"فاتورة رقم: 7781\nالتاريخ: 2024/03/12\nالعميل: شركة النور للتجارة\nالصنف: طابعة ليزر، العدد 2، السعر 900 ريال للوحدة\nالإجمالي: 1800 ريال\nضريبة القيمة المضافة 15%: 270 ريال",
		"السيد أحمد، نؤكد موعد الاجتماع يوم الأحد 14 أبريل الساعة العاشرة صباحا في مقر الشركة بالرياض. للتواصل: سارة علي، هاتف 0501234567.",
	},
	summarize: []string{"لخص النص التالي في ثلاث جمل:", "هل يمكنك تلخيص هذا المقال؟", "ما هي النقاط الرئيسية في هذا النص؟", "اختصر هذا النص في سطرين."},
	extract:   []string{"استخرج أسماء الأشخاص والمؤسسات والأماكن من النص التالي بصيغة JSON.", "استخرج رقم الفاتورة والتاريخ واسم العميل والمبلغ الإجمالي بصيغة JSON.", "استخرج من الرسالة موعد الاجتماع ومكانه ورقم الهاتف.", "استخرج جميع الأرقام الواردة في النص مع معناها."},
	creative: []string{
		"اكتب قصيدة عن البحر", "احكِ لي قصة قصيرة للأطفال عن أرنب شجاع", "اكتب شعارا إعلانيا لمقهى جديد", "اكتب بداية قصة خيال علمي عن مدينة تحت الماء", "اكتب رسالة تهنئة بمناسبة العيد",
	},
	chat: []string{"مرحبا! كيف حالك؟", "شكرا جزيلا لك", "صباح الخير", "أشعر بالملل، هل نتحدث قليلا؟", "هههه مضحك", "تصبح على خير", "ما اسمك؟", "حسنا، اتفقنا"},
	factual: []string{
		"ما هي عاصمة اليابان؟", "من كتب رواية الثلاثية؟", "متى انتهت الحرب العالمية الثانية؟", "ما هو التمثيل الضوئي؟", "ما هو أطول نهر في العالم؟", "كم عدد الدول العربية؟", "لماذا السماء زرقاء؟",
	},
	reasoning: []string{
		"اشترى علي 3 أقلام بسعر 4 ريالات للقلم و2 دفتر بسعر 7 ريالات للدفتر. كم دفع في المجموع؟", "حل المعادلة: 3س + 4 = 19", "سيارة تسير بسرعة 90 كم في الساعة. كم تقطع في ساعتين ونصف؟",
		"عمر الأب ثلاثة أضعاف عمر ابنه، ومجموع عمريهما 48 سنة. كم عمر كل منهما؟", "ما احتمال الحصول على عدد زوجي عند رمي حجر نرد مرة واحدة؟",
	},
	coding: []string{
		"اكتب دالة بلغة بايثون لحساب مضروب عدد", "لماذا يظهر هذا الخطأ في الكود؟\n```python\nprint(undefined_var)\n```", "كيف أنشئ قاعدة بيانات في MySQL؟", "اشرح الفرق بين GET و POST في HTTP",
	},
}
