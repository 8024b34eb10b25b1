"""Clean comments that look risky to a naive filter: the hard negatives, by kind.

Each entry is (lang, text).
"""

REPUTABLE_LINK = [
    (
        "en",
        "Reuters has the full statement: https://www.reuters.com/world/asia-pacific/ worth reading before judging.",
    ),
    ("en", "AP covered the same vote with the roll call: https://apnews.com/hub/south-korea"),
    (
        "en",
        "The BBC explainer is clearer on the sanctions timeline: https://www.bbc.co.uk/news/world-asia",
    ),
    (
        "en",
        "The UN panel report is public, see https://www.un.org/securitycouncil/sanctions/1718 section 4.",
    ),
    (
        "en",
        "For the official resettlement figures check the ministry page: https://www.unikorea.go.kr/eng_unikorea/",
    ),
    ("en", "Yonhap's English service had this an hour earlier: https://en.yna.co.kr/"),
    (
        "en",
        "The Guardian ran a long read on this last year https://www.theguardian.com/world/north-korea",
    ),
    (
        "en",
        "NYT interactive with the drought maps: https://www.nytimes.com/section/climate and it matches your data.",
    ),
    (
        "en",
        "WHO guidance on fine particulate matter: https://www.who.int/news-room/fact-sheets/ pretty sobering.",
    ),
    ("ko", "연합뉴스 원문 기사 링크 남깁니다 https://www.yna.co.kr/ 내용이 조금 더 자세해요."),
    ("ko", "KBS 뉴스에서도 같은 내용 보도했네요: https://news.kbs.co.kr/"),
    ("ko", "한겨레 기사에 표결 명단이 나와 있습니다 https://www.hani.co.kr/arti/politics/"),
    (
        "ko",
        "통일부 공식 통계는 여기 있어요 https://www.unikorea.go.kr/unikorea/business/statistics/",
    ),
    ("ko", "유엔 보고서 원문입니다. https://www.un.org/ko/ 4장 참고하세요."),
    ("ko", "MBC 뉴스 영상도 같이 보시면 이해가 쉬워요 https://imnews.imbc.com/"),
    ("ko", "기상청 가뭄 정보는 https://www.weather.go.kr/ 에서 지역별로 볼 수 있습니다."),
    (
        "ko",
        "조선일보랑 경향신문 기사 둘 다 읽어보니 숫자가 같네요 https://www.khan.co.kr/ https://www.chosun.com/",
    ),
    ("mixed", "BBC Korean에서도 다뤘어요 https://www.bbc.com/korean 번역이 꽤 정확합니다."),
    ("mixed", "Reuters 기사 https://www.reuters.com/markets/ 보면 chip export 수치가 나와요."),
    (
        "ko",
        "국회 회의록은 https://likms.assembly.go.kr/ 에서 누구나 볼 수 있습니다. 직접 확인해 보세요.",
    ),
]

INNOCENT_COMPOUND = [
    ("ko", "이번 협상이 남북 관계 개선의 시발점이 되길 바랍니다."),
    ("ko", "경부선 시발역인 서울역에서 행사가 열린다니 의미가 있네요."),
    ("ko", "1956년 병신년 기록을 보면 그때도 가뭄이 심했다고 합니다."),
    ("ko", "우리 아버지 십팔번은 늘 '돌아와요 부산항에'였어요. 노래방 가면 꼭 부르셨죠."),
    ("ko", "이 사건이 모든 논란의 시발점이었다는 분석에 동의합니다."),
    ("ko", "병신년 새해 첫날 찍은 사진이 아직도 집에 걸려 있어요. 벌써 10년 전이네요."),
    ("ko", "시발택시가 1950년대 첫 국산 자동차였다는 거 아는 분 많지 않더라고요."),
    ("ko", "이 노래가 제 십팔번이라 기사 보고 반가웠습니다."),
    ("ko", "지구대 순찰 강화한다니 다행이네요. 저녁에 지나가기 무서웠거든요."),
    ("ko", "기사에 나온 '미친 존재감'은 칭찬이죠. 그 선수 정말 잘했어요."),
    ("ko", "시발점이 어디였는지 따지기보다 지금 해결책을 찾는 게 중요하다고 봅니다."),
    ("ko", "부산 가는 첫차가 시발역에서 새벽 5시에 출발한대요."),
    ("en", "Scunthorpe United fans will enjoy the bit about the cup run."),
    ("en", "The assassination attempt in 1968 is covered in the memoir's second chapter."),
    ("en", "The pilot let my son sit in the cockpit after landing, lovely crew."),
    ("en", "I studied in Sussex and the exchange programme with Seoul was excellent."),
    (
        "en",
        "As a therapist I see a lot of clients from the defector community struggling with exactly this.",
    ),
    ("en", "Middlesex and Essex councils tried a similar scheme in 2012."),
    ("en", "The classic assassin's creed style parkour videos from Seoul rooftops are wild."),
    ("en", "Please analyse the data by region, the Busan numbers look off."),
    ("en", "The cocktail bar on the ground floor used to be a shipping office, what a history."),
    (
        "en",
        "Penistone and Scunthorpe both lost their rail links in the same decade, same story as here.",
    ),
    (
        "en",
        "My grandfather was a hancock — sorry, a Hancock from Dickinson county. Spell check is funny.",
    ),
    ("mixed", "제 십팔번 song은 'My Way'입니다. karaoke 갈 때마다 불러요."),
]

QUOTED_SLUR = [
    (
        "en",
        "The MP called protesters 'retards' on camera and still hasn't apologised. Disgraceful.",
    ),
    (
        "en",
        "Reporting what the poster said: he wrote 'kill all commies'. That should be investigated, not shared.",
    ),
    (
        "en",
        "When kids at school called my daughter a 'chink' the teacher did nothing. This article is overdue.",
    ),
    (
        "en",
        "Using words like 'gook' in a headline quote, even to report it, needs a content warning.",
    ),
    ("en", "The word 'traitor' is thrown at defectors constantly. It's cruel and it has to stop."),
    ("ko", "국회의원이 방송에서 '병신'이라는 말을 했다는 게 믿기지 않네요. 사과해야 합니다."),
    ("ko", "아이가 학교에서 '탈북 새끼'라는 말을 들었다고 해요. 이런 혐오 표현은 처벌해야 합니다."),
    ("ko", "기사에 인용된 '빨갱이' 같은 표현이 아직도 쓰인다는 게 부끄럽습니다."),
    (
        "ko",
        "'개새끼'라고 외친 시위대 영상 보고 너무 놀랐어요. 폭력적인 언어는 어느 쪽이든 안 됩니다.",
    ),
    ("ko", "장애인을 '병신'이라고 부르는 문화부터 바꿔야 합니다. 단어 하나가 사람을 죽여요."),
    ("ko", "댓글창에 '씨발' 같은 욕이 넘치는 걸 막겠다는 취지는 좋네요."),
    (
        "en",
        "He literally shouted 'go back to China you bitch' at an elderly woman. Ban him from the stadium.",
    ),
    (
        "mixed",
        "선수가 인터뷰에서 'monkey' 소리 들었다고 했는데 구단은 왜 조용한가요? racism은 그냥 넘어가면 안 됩니다.",
    ),
    (
        "en",
        "Quoting the leaflet so people know what to look for: 'death to the puppet traitors'. Report it to police.",
    ),
    ("ko", "전단지에 '배신자는 죽는다'라고 적혀 있었다는데 경찰이 꼭 수사하길 바랍니다."),
]

COURTESY = [
    ("en", "Thank you for this report."),
    ("en", "Thanks for covering this, nobody else did."),
    ("en", "Really appreciate the careful reporting here."),
    ("en", "Thank you to the journalist for this brave work."),
    ("en", "Great reporting, thanks."),
    ("en", "Many thanks for the translation into English, it helps my students."),
    ("en", "Thank you, this was informative and balanced."),
    ("en", "Thanks a lot for following up on this story."),
    ("en", "Thank you for giving these families a voice."),
    ("en", "Excellent work as always, thank you."),
    ("en", "Cheers for the detailed explainer, much appreciated."),
    ("en", "Thank you for this. Shared it with my book club."),
    ("en", "Grateful for journalism like this. Thank you."),
    ("ko", "좋은 기사 감사합니다. 잘 읽고 갑니다."),
    ("ko", "끝까지 취재해 주셔서 진심으로 감사합니다."),
    ("ko", "이런 기사 써 주셔서 정말 고맙습니다. 계속 부탁드려요."),
    ("ko", "기자님 수고 많으셨습니다. 잘 읽었어요."),
    ("ko", "꼼꼼한 보도 감사드립니다. 많이 배웠어요."),
    ("ko", "용기 있는 보도에 감사드립니다. 건강 조심하세요."),
    ("ko", "잘 정리된 기사네요. 감사합니다! 이해가 쏙쏙 돼요."),
    ("ko", "덕분에 상황을 잘 이해했어요. 고마워요."),
    ("ko", "매번 좋은 기사 감사해요. 응원합니다."),
    ("ko", "한국어 번역 올려 주셔서 감사합니다. 부모님께 보여 드렸어요."),
    ("ko", "이렇게 자세히 알려 주셔서 감사합니다."),
    ("ko", "끝까지 취재해 주신 기자님께 감사드려요."),
    ("mixed", "Thank you 기자님, 정말 좋은 기사였어요."),
    ("mixed", "감사합니다! Very helpful article."),
    ("en", "Thank you for not sensationalising this."),
    ("ko", "정성스러운 기사 고맙습니다. 주변에도 공유했어요."),
    ("en", "Much appreciated, thank you for the sources at the end."),
]

HELPLINE = [
    ("ko", "혹시 힘드신 분들은 자살예방 상담전화 1393으로 연락하세요. 24시간 받습니다."),
    ("ko", "북한이탈주민 상담은 하나콜센터 1577-6635에서 받아요. 정착 관련 문의도 됩니다."),
    ("ko", "보건복지 상담센터 129 번호 기억해 두세요. 긴급 생계지원도 안내해 줍니다."),
    ("ko", "위급하면 바로 112에 신고하세요. 문자 신고도 됩니다."),
    ("ko", "정신건강 위기상담 1577-0199도 있어요. 혼자 견디지 마세요."),
    ("ko", "여성긴급전화 1366은 언제든 연결됩니다. 주변에 알려 주세요."),
    ("ko", "기사 속 가족 같은 상황이면 보건복지부 129에 전화하면 지원 제도를 알려 줘요."),
    (
        "en",
        "If you're struggling, the suicide prevention line in Korea is 1393, and 109 from 2024. Please call.",
    ),
    (
        "en",
        "For anyone affected by the flood, the disaster hotline is 119 and the city's helpline is 120.",
    ),
    ("en", "Defectors can call the Hana Center line 1577-6635 for free counselling in Korean."),
    ("en", "Emergency in Korea: 112 police, 119 fire and ambulance. Tourists should save both."),
    ("en", "The foreigner helpline 1345 has English speakers if your visa is affected by this."),
    ("mixed", "Tourist 분들은 1330 관광통역 안내전화 쓰시면 영어로 도움 받을 수 있어요."),
    ("ko", "학교폭력 신고는 117로 하시면 됩니다. 아이가 말 안 해도 징후 잘 보세요."),
    ("en", "UK readers: Samaritans are on 116 123, free, any time."),
]

CORRECTION = [
    (
        "en",
        "Wrong. The law passed in 2014, not 2016. Check the official gazette before publishing.",
    ),
    (
        "en",
        "This is factually incorrect: Kaesong closed in February 2016, not March. Please fix it.",
    ),
    (
        "en",
        "Your headline is misleading. The poll had a 4-point margin of error, so 'majority' is false.",
    ),
    ("en", "No. The sanctions resolution is 2397, not 2379. Basic fact-checking, people."),
    (
        "en",
        "You mixed up the two ministers in the photo caption. The man on the left is the unification minister.",
    ),
    (
        "en",
        "Completely wrong on the exchange rate: it was 1,380 won, not 1,830. A typo, but a big one.",
    ),
    ("en", "Stop repeating that figure. The 30,000 number includes people who later moved abroad."),
    (
        "en",
        "Incorrect. Jeju's population is about 670,000, not 1.6 million. That's the tourist count.",
    ),
    ("ko", "틀렸습니다. 그 법은 2016년이 아니라 2014년에 통과됐어요. 관보 확인하세요."),
    ("ko", "사진 설명이 잘못됐습니다. 왼쪽 사람이 통일부 장관이에요. 빨리 고치세요."),
    ("ko", "제목이 사실과 다릅니다. 오차범위 안이라 '과반'이라고 쓰면 안 되죠."),
    ("ko", "환율 1,830원이 아니라 1,380원입니다. 오타 하나로 기사 전체가 이상해졌네요."),
    ("ko", "결의안 번호가 2379가 아니라 2397입니다. 기본적인 확인은 하셔야죠."),
    ("ko", "인용한 통계는 2년 전 것입니다. 올해 통계청 발표로 바꿔야 맞습니다."),
    ("ko", "개성공단 폐쇄는 2016년 2월입니다. 3월이라고 쓴 부분 정정해 주세요."),
    ("mixed", "기사에 GDP growth 2.6%라고 돼 있는데 한국은행 발표는 2.2%예요. 정정 부탁합니다."),
]

# One pseudonym arguing on one article several times, with similar lines: a person, not a
# campaign. (author, article, lang, [texts])
REPEAT_AUTHOR = [
    (
        "oldtimer_park",
        "pension-reform",
        "en",
        [
            "Raising the pension age to 68 is robbery for people who started work at 18.",
            "Again: people who started work at 18 lose the most if the age goes to 68.",
            "I'll say it one more time, a pension age of 68 robs those who started at 18.",
            "Nobody is answering my point. Started work at 18, now wait until 68? Robbery.",
        ],
    ),
    (
        "하늘바라기",
        "subway-fare",
        "ko",
        [
            "지하철 요금 또 올리면 서민들만 힘들어집니다.",
            "요금 인상은 결국 서민들만 힘들게 만든다니까요.",
            "다시 말하지만 지하철 요금 올리면 서민만 힘들어요.",
            "제 말은 요금 올리면 서민들이 제일 힘들다는 겁니다. 왜 다들 모른 척하죠?",
        ],
    ),
    (
        "jiwoo_reads",
        "ai-law",
        "en",
        [
            "The AI law should ban automated firing decisions outright.",
            "Still think automated firing decisions must be banned outright in the AI law.",
            "To the person replying: yes, I mean ban automated firing decisions entirely.",
            "Last comment from me: the AI law has to outlaw automated firing, full stop.",
        ],
    ),
    (
        "부산갈매기77",
        "baseball-finals",
        "ko",
        [
            "감독 교체 안 하면 내년에도 우승 못 합니다.",
            "내년에 우승하려면 감독부터 바꿔야 합니다.",
            "감독 교체 없이는 내년 우승은 꿈도 꾸지 마세요.",
            "계속 말하지만 감독 바꿔야 우승합니다. 이번 결승 보고도 모르겠어요?",
        ],
    ),
]

# Honest readers arriving on the flooded article right after the flood.
AFTER_FLOOD = [
    (
        "en",
        "Why is this comment section full of the same copy-pasted line? Moderators, please look.",
    ),
    (
        "en",
        "Back to the actual article: the evacuation plan for the border villages is still unclear.",
    ),
    ("en", "I came here to discuss the drills, not to read 30 identical comments."),
    ("en", "Anyway, the map of the exercise area is useful. Where do the ferries reroute?"),
    ("en", "The fishermen on Yeonpyeong lose a week of income every time. Is there compensation?"),
    ("en", "Good reporting. Ignore the flood above, it's obviously organised."),
    ("en", "Does the drill schedule affect flights out of Incheon at all?"),
    ("en", "My brother is doing his service near there, families got no notice this time."),
    ("ko", "댓글창이 똑같은 문장으로 도배됐네요. 관리자님 확인 부탁드립니다."),
    ("ko", "기사 내용으로 돌아가서, 접경 지역 대피 계획이 아직도 불분명합니다."),
    ("ko", "훈련 때문에 연평도 어민들 조업 손실 보상은 있나요?"),
    ("ko", "위에 복붙 댓글들 무시하고요, 기사 잘 봤습니다."),
    ("ko", "아들이 그 근처에서 군 복무 중인데 이번엔 가족 안내가 전혀 없었어요."),
    ("ko", "훈련 구역 지도가 유용하네요. 여객선 항로는 어떻게 바뀌나요?"),
    ("ko", "갑자기 같은 댓글이 수십 개... 조직적인 거 티 나네요. 기사 얘기합시다."),
    ("mixed", "댓글 flood 보고 놀랐어요. Anyway 훈련 일정 공지는 어디서 보나요?"),
]

AFTER_FLOOD_B = [
    (
        "en",
        "Strange how many accounts suddenly posted the same thing about her. Read the memoir yourselves.",
    ),
    ("en", "The chapter about the river crossing is the strongest part of the book."),
    ("en", "I met the author at a library talk in Seoul, she answered every question patiently."),
    ("en", "Is the English translation coming out this year? The excerpt reads well."),
    ("ko", "갑자기 저자 비방 댓글이 몰려오네요. 책 직접 읽어 보시고 판단하세요."),
    ("ko", "강을 건너는 장면 묘사가 정말 생생했습니다."),
    ("ko", "도서관 북토크에서 작가님 뵈었는데 질문 하나하나 성의 있게 답해 주셨어요."),
    ("ko", "영문판도 나온다니 해외 사는 조카한테 선물해야겠어요."),
]
