"""Campaign talking points: each posted by many pseudonyms across articles.

CAMPAIGNS maps an id to {lang: [base, paraphrase]}; build.py derives the copies (exact,
light edits, paraphrase). Campaigns with both "en" and "ko" are translations of each
other; FIRST says which language the campaign starts in.
"""

CAMPAIGNS: dict[str, dict[str, list[str]]] = {
    "c01": {
        "en": [
            "The defectors on TV are paid actors. Every single story is scripted by the spy agency to make the North look bad.",
            "These so-called defectors are actors on a payroll. The intelligence service writes their stories so the North looks evil.",
        ],
        "ko": [
            "방송에 나오는 탈북자들은 돈 받는 배우들이다. 모든 이야기는 북한을 나쁘게 보이게 하려고 정보기관이 대본을 쓴 것이다.",
            "이른바 탈북자라는 사람들은 월급 받는 배우다. 정보기관이 북한을 악마로 보이게 하려고 이야기를 만들어 준다.",
        ],
    },
    "c02": {
        "en": [
            "Sanctions only hurt ordinary people. Lift them now and the North will open up on its own. Wake up.",
            "Wake up: sanctions starve ordinary families and change nothing. End them and the North opens itself.",
        ],
        "ko": [
            "제재는 평범한 사람들만 괴롭힌다. 지금 당장 풀면 북한은 스스로 개방할 것이다. 정신 차려라.",
            "정신 차려라. 제재는 평범한 가족들만 굶기고 아무것도 바꾸지 못한다. 끝내면 북한은 알아서 문을 연다.",
        ],
    },
    "c03": {
        "en": [
            "The drills are a provocation planned by Washington. Our government is just a puppet following orders.",
            "Washington planned these drills as a provocation, and Seoul is a puppet that follows its orders.",
        ],
        "ko": [
            "이번 훈련은 미국이 계획한 도발이다. 우리 정부는 명령을 따르는 꼭두각시일 뿐이다.",
            "미국이 도발하려고 이 훈련을 짠 것이고 서울은 그 명령을 따르는 꼭두각시다.",
        ],
    },
    "c04": {
        "en": [
            "This reporter took money from foreign NGOs. Check who funds this paper before you believe a word.",
            "Before believing a word, check who pays this outlet. The reporter is funded by foreign NGOs.",
        ],
        "ko": [
            "이 기자는 해외 NGO에서 돈을 받았다. 한 마디라도 믿기 전에 이 신문 돈줄부터 확인해라.",
            "한 마디라도 믿기 전에 이 매체에 누가 돈 대는지 봐라. 기자는 해외 NGO 돈을 받는다.",
        ],
    },
    "c05": {
        "en": [
            "The election was rigged with hacked counting machines. The real results were hidden from the public.",
            "Hacked counting machines rigged the vote and the real numbers were hidden from all of us.",
        ],
        "ko": [
            "이번 선거는 해킹된 개표기로 조작됐다. 진짜 결과는 국민에게 숨겨졌다.",
            "해킹된 개표기가 투표를 조작했고 진짜 숫자는 우리 모두에게 감춰졌다.",
        ],
    },
    "c06": {
        "en": [
            "The author of this memoir invented her whole escape. Her own family says she was never in a camp.",
            "Her escape story is made up. Even her family admits she was never held in any camp.",
        ],
        "ko": [
            "이 회고록 저자는 탈출 이야기를 전부 지어냈다. 가족들도 그녀가 수용소에 간 적이 없다고 한다.",
            "그녀의 탈출 이야기는 꾸며낸 것이다. 가족조차 그녀가 어떤 수용소에도 갇힌 적 없다고 인정한다.",
        ],
    },
    "c07": {
        "en": [
            "Refugees get free apartments while young Koreans can't afford rent. The government hates its own people.",
            "Young Koreans can't pay rent but refugees are handed free flats. This government despises its own citizens.",
        ],
        "ko": [
            "난민들은 공짜 아파트를 받는데 한국 청년들은 월세도 못 낸다. 정부는 자기 국민을 싫어한다.",
            "한국 청년은 월세도 못 내는데 난민한테는 공짜 집을 준다. 이 정부는 자기 국민을 경멸한다.",
        ],
    },
    "c08": {
        "en": [
            "Fine dust is a lie to sell air purifiers. The numbers are inflated by companies that make filters.",
            "The whole fine dust scare is inflated by filter companies so they can sell more air purifiers.",
        ],
        "ko": [
            "미세먼지는 공기청정기를 팔기 위한 거짓말이다. 수치는 필터 회사들이 부풀린 것이다.",
            "미세먼지 공포는 전부 필터 회사들이 공기청정기 더 팔려고 부풀린 것이다.",
        ],
    },
    "c09": {
        "en": [
            "The vaccine in the school programme causes infertility. They are hiding the data from parents.",
            "Parents are not told that the school vaccine causes infertility. The data is being hidden.",
        ],
        "ko": [
            "학교 접종 백신은 불임을 일으킨다. 부모들에게 데이터를 숨기고 있다.",
            "학교 백신이 불임을 일으킨다는 사실을 부모들에게 알려주지 않는다. 자료를 숨기는 중이다.",
        ],
    },
    "c10": {
        "en": [
            "Kaesong was a cash machine for the regime's missiles. Anyone who wants it reopened is a collaborator.",
            "Every won paid at Kaesong went into missiles. People who want it back are collaborators.",
        ],
        "ko": [
            "개성공단은 정권 미사일을 위한 현금 인출기였다. 재개를 원하는 사람은 다 부역자다.",
            "개성공단에 낸 돈은 전부 미사일로 갔다. 재개하자는 사람들은 부역자들이다.",
        ],
    },
    "c11": {
        "en": [
            "The doctors' strike is funded by the opposition party to bring down the president before the election.",
            "The opposition is paying for the doctors' walkout to topple the president ahead of the vote.",
        ],
        "ko": [
            "의사 파업은 선거 전에 대통령을 끌어내리려고 야당이 돈을 대고 있다.",
            "야당이 투표 전에 대통령을 무너뜨리려고 의사들 집단행동 비용을 대고 있다.",
        ],
    },
    "c12": {
        "en": [
            "This newspaper is run by Chinese money. Look at the owners and you will understand every headline.",
            "Chinese money owns this paper. Check the shareholders and every headline makes sense.",
        ],
        "ko": [
            "이 신문은 중국 돈으로 운영된다. 소유주를 보면 모든 제목이 이해될 것이다.",
            "중국 자본이 이 신문 주인이다. 주주 명단 확인하면 제목들이 다 이해된다.",
        ],
    },
    "c13": {
        "en": [
            "The broadcasts to the North are a waste of taxpayer money. Nobody there can even listen to them.",
            "Taxpayers fund broadcasts nobody in the North can hear. Total waste of our money.",
        ],
        "ko": [
            "대북 방송은 세금 낭비다. 북한에서는 아무도 들을 수조차 없다.",
            "북한에서 아무도 못 듣는 방송에 국민 세금을 쓴다. 완전한 낭비다.",
        ],
    },
    "c14": {
        "en": [
            "The typhoon damage was exaggerated so officials could steal the relief budget. Follow the money.",
            "Follow the money: officials inflated the typhoon damage to pocket the relief funds.",
        ],
        "ko": [
            "태풍 피해는 공무원들이 복구 예산을 빼돌리려고 부풀린 것이다. 돈의 흐름을 따라가 봐라.",
            "돈 흐름을 봐라. 공무원들이 복구 자금을 챙기려고 태풍 피해를 부풀렸다.",
        ],
    },
    # --- one language only
    "c15": {
        "en": [
            "Another fake story from a fake newspaper. Nobody believes you anymore. Cancel your subscriptions.",
            "Fake paper, fake story, as usual. Nobody trusts you now. Everyone cancel your subscription.",
        ]
    },
    "c16": {
        "en": [
            "The minister's son got his job through connections. Ask why no journalist dares to investigate.",
            "Why does no journalist dare investigate how the minister's son got hired through connections?",
        ]
    },
    "c17": {
        "en": [
            "Unification will bankrupt the South. Every family will pay 30 million won in new taxes.",
            "Each family will pay 30 million won in new taxes after unification. It will bankrupt the South.",
        ]
    },
    "c18": {
        "en": [
            "The satellite is actually a weapons test and the press is covering it up for the military.",
            "The press covers for the military: this satellite is really a weapons test.",
        ]
    },
    "c19": {
        "en": [
            "Climate policy is a scam to raise electricity bills. Nuclear plants are being closed on purpose.",
            "They close nuclear plants on purpose to push up power bills. Climate policy is a scam.",
        ]
    },
    "c20": {
        "en": [
            "The AI law is written by big tech lobbyists. Read who attended the closed meetings.",
            "Big tech lobbyists wrote the AI bill. Look at the list of who sat in the closed-door meetings.",
        ]
    },
    "c21": {
        "ko": [
            "대통령 지지율 조사는 전부 조작이다. 여론조사 회사들이 정부 돈을 받는다.",
            "여론조사 회사들이 정부 돈 받고 대통령 지지율을 조작하고 있다.",
        ]
    },
    "c22": {
        "ko": [
            "이 기자는 과거에 성추행으로 징계받았다. 이런 사람이 쓴 기사를 믿어야 하나?",
            "성추행으로 징계받은 기자가 쓴 기사를 믿을 수 있나? 과거를 찾아봐라.",
        ]
    },
    "c23": {
        "ko": [
            "출산율 대책 예산은 전부 공무원 해외 연수에 쓰였다. 국민 세금 돌려내라.",
            "저출산 예산이 공무원들 해외 연수비로 다 나갔다. 세금 돌려내라.",
        ]
    },
    "c24": {
        "ko": [
            "지하철 요금 인상은 시장 측근 업체 배불리려는 것이다. 계약서를 공개하라.",
            "시장 측근 회사 배 불리려고 지하철 요금을 올린다. 계약서 공개해라.",
        ]
    },
    "c25": {
        "ko": [
            "제주도 땅은 이미 절반이 중국인 소유다. 정부는 알면서도 숨기고 있다.",
            "정부가 숨기고 있지만 제주도 땅 절반은 벌써 중국인 것이다.",
        ]
    },
    "c26": {
        "ko": [
            "야구 결승전은 승부조작이었다. 심판들이 돈 받은 거 다 안다.",
            "심판들이 돈 받고 결승전 승부를 조작했다. 다들 알고 있다.",
        ]
    },
    "c27": {
        "ko": [
            "가뭄은 댐 방류를 일부러 막아서 생긴 인재다. 수자원공사 책임자 처벌하라.",
            "수자원공사가 일부러 방류를 막아서 가뭄이 생겼다. 책임자를 처벌해라.",
        ]
    },
    "c28": {
        "ko": [
            "반도체 수출 통계는 정부가 선거용으로 부풀린 숫자다. 실제로는 마이너스다.",
            "선거 앞두고 정부가 반도체 수출 숫자를 부풀렸다. 실제론 감소했다.",
        ]
    },
}

# Light edits a copier makes: word substitutions (old, new) per language.
SUBSTITUTIONS = {
    "en": [
        ("every single", "every"),
        ("now", "today"),
        ("government", "administration"),
        ("paper", "rag"),
        ("money", "cash"),
        ("people", "folks"),
        ("just", "only"),
        ("Wake up", "Open your eyes"),
        ("Look at", "Check"),
        ("The ", "This "),
        ("hidden", "buried"),
        ("actually", "really"),
        ("anymore", "any more"),
    ],
    "ko": [
        ("이다.", "임."),
        ("것이다", "거다"),
        ("정부는", "정권은"),
        ("정부가", "정권이"),
        ("전부", "다"),
        ("사람", "놈"),
        ("확인해라", "확인해 봐라"),
        ("지금 당장", "당장"),
        ("국민", "우리 국민"),
        ("숨기고", "감추고"),
        ("돈", "자금"),
        ("이미", "벌써"),
    ],
}
PREFIXES = {
    "en": [
        "Share this before it gets deleted. ",
        "Read this: ",
        "Nobody will report this. ",
        "FACT: ",
        "",
    ],
    "ko": [
        "삭제되기 전에 퍼뜨려라. ",
        "팩트: ",
        "언론이 절대 안 알려주는 진실. ",
        "이거 보세요. ",
        "",
    ],
}
SUFFIXES = {
    "en": [
        " Spread the word!",
        " Do your own research.",
        " #truth",
        " They can't hide it forever.",
        "",
    ],
    "ko": [" 널리 알려주세요!", " 직접 찾아봐라.", " 진실은 숨길 수 없다.", " 공유 부탁.", ""],
}
