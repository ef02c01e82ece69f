"""Word lists for masking names (masking.py), all in folded spelling (bot.language.folding:
lower case, no diacritics, Bulgarian in Latin letters).

FIRST_NAMES: common given names in Poland, Bulgaria, Romania and the Netherlands (among the
people the information point serves), from general knowledge of each country's frequent
names. A name that is also an everyday word in one of the four languages is left out
(Dutch "dan", "mark", "roos"; Bulgarian "nadezhda", "lyubov", "vyara"), or is in AMBIGUOUS:
taken for a name only after "I am ..." or in Cyrillic.
STOPWORDS: short words and verbs that end a name typed after "my name is" in lower case.
"""

from __future__ import annotations

_POLISH = """
jan anna piotr krzysztof andrzej tomasz tomek pawel michal marcin marek grzegorz jozef lukasz
adam zbigniew jerzy tadeusz mateusz dariusz mariusz wojciech wojtek ryszard kamil maciej rafal
robert jakub kuba szymon stanislaw kazimierz bartosz bartek dawid damian sebastian przemyslaw
wieslaw henryk artur filip hubert patryk krystian norbert arkadiusz slawomir waldemar janusz
maria katarzyna kasia malgorzata gosia agnieszka barbara basia ewa krystyna elzbieta zofia
teresa magdalena magda joanna asia aleksandra monika danuta natalia karolina marta beata
dorota halina jadwiga janina alicja iwona renata paulina justyna agata patrycja weronika julia
zuzanna ania ola kinga sylwia edyta urszula grazyna bozena wioletta
"""
_BULGARIAN = """
ivan georgi dimitar petar nikolay hristo stoyan todor yordan vasil stefan atanas krasimir
plamen valentin kaloyan martin aleksandar boris veselin emil lyubomir iliya nikola simeon
miroslav tsvetan kiril lachezar rumen ognyan svetoslav hristina mariya maria ivanka elena
yordanka penka daniela rumyana desislava desi radka snezhana gergana silviya stanka violeta
petya ani anna gabriela tsvetelina teodora milena svetla kristina ralitsa nikoleta galina
bilyana mariana vanya denitsa pavlina ekaterina tanya veselina
"""
_ROMANIAN = """
ion ioan gheorghe vasile constantin nicolae mihai andrei alexandru florin adrian cristian
cristi daniel marian dumitru stefan gabriel ionut marius bogdan catalin cosmin radu sorin
petru lucian razvan vlad ciprian luca tudor ovidiu liviu emil viorel valentin sebastian
maria elena ana ioana andreea mihaela cristina gabriela daniela alexandra roxana simona alina
nicoleta monica florentina georgiana bianca raluca diana irina adriana larisa oana mirela
luminita camelia carmen denisa madalina loredana florina ramona claudia iuliana
"""
_DUTCH = """
jan piet kees henk johan pieter willem hendrik cornelis gerrit dirk joost bram daan sem lucas
levi finn noah liam luuk milan jesse thijs ruben tim lars sander niels martijn erik peter
jeroen wouter bart stefan ruud frank hans klaas teun gijs anna emma julia sophie lotte sanne
lisa eva sara fleur anouk femke inge marieke linda monique petra wilma ria mieke saskia
esther ilse annemarie marloes nienke tessa lieke mohamed mohammed ahmed fatima yasmina
"""
FIRST_NAMES = frozenset(" ".join((_POLISH, _BULGARIAN, _ROMANIAN, _DUTCH)).split())

# Also everyday words somewhere: Polish "ani" (nor), "ola" in greetings.
AMBIGUOUS = frozenset({"ani", "ola"})

_STOPWORDS = """
i a z w ze oraz ale bo mam jestem mieszkam pracuje chce szukam nie czy to moj moja od do na
tu tutaj jak co ten ta
v ot sam rabotya zhiveya imam iskam ne za da az tuk kak tova tozi tya toy to kakvo
si sunt din am lucrez locuiesc vreau nu de la in cu sau dar cum asta acesta aia
en ik uit woon werk heb wil niet kom maar ben zoek met naar hoe wat dit dat het
"""
STOPWORDS = frozenset(_STOPWORDS.split())
