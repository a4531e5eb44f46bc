"""Word lists of the name detector: surnames, words of places and bodies, places named after people.

All entries are lower case without accents (compare with a folded word). A person's full name is
a given name (``auditkit.privacy._given_names``) followed by a surname from :data:`SURNAMES`; a
run of words that contains a word of :data:`PLACE_WORDS` ("Park", "Bridge", "Colonia", "NC")
names a place or a body, and :data:`PLACES_NAMED_AFTER_PEOPLE` lists administrative units of the
pilot countries that carry a person's full name ("Benito Juárez", "Rafael Uribe Uribe").
"""

from __future__ import annotations

__all__ = [
    "ENGLISH_GIVEN_NAMES",
    "PARTICLES",
    "PLACES_NAMED_AFTER_PEOPLE",
    "PLACE_WORDS",
    "SURNAMES",
]


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


SURNAMES: frozenset[str] = _words(
    """
    garcia rodriguez martinez hernandez lopez gonzalez perez sanchez ramirez torres flores rivera
    gomez diaz reyes morales cruz ortiz gutierrez chavez ramos ruiz alvarez mendoza castillo
    jimenez moreno romero herrera medina aguilar vargas castro guzman fernandez juarez mendez
    salazar soto delgado pena rios alvarado sandoval contreras valdez guerrero ortega estrada
    nunez maldonado vazquez dominguez rojas navarro luna espinoza cervantes campos vega
    fuentes carrillo silva suarez molina acosta miranda cabrera figueroa leon marquez sosa
    mejia benitez cardenas trejo ibarra zamora villarreal cortes robles padilla lara ochoa
    santiago velazquez serrano esquivel orozco pacheco cisneros escobar cano bautista barrera
    hidalgo zapata montoya cordova galvan salinas duran arellano rosales quintero rangel solis
    avila cuevas tapia olvera caballero nava valencia bravo ponce rubio palacios aguirre
    calderon ayala trujillo lozano velasco rocha bermudez osorio arias quintana mora munoz
    pineda marin zuniga villa carmona uribe restrepo londono giraldo ospina cardona henao
    echeverri betancur arango jaramillo vasquez toro franco posada correa mesa agudelo
    sepulveda pizarro fuenzalida araya tapia gallardo riquelme alarcon valenzuela espinosa
    cortez godoy bustos saavedra barrios cabello cabral santos oliveira souza sousa lima
    pereira costa carvalho almeida ferreira alves ribeiro martins araujo barbosa gomes
    rocha dias nascimento andrade moreira nunes mendes cardoso teixeira vieira monteiro
    freitas correia pinto machado melo cavalcanti batista farias azevedo cunha lopes borges
    fonseca moura siqueira brito bezerra tavares macedo aragao queiroz
    smith johnson williams brown jones miller davis wilson anderson taylor thomas moore
    jackson martin thompson white harris clark lewis robinson walker young allen king wright
    scott hill green adams baker nelson carter mitchell roberts turner phillips campbell
    parker evans edwards collins stewart morris murphy cook rogers morgan cooper peterson
    bailey reed kelly howard cox ward richardson watson brooks wood james bennett gray
    hughes price sanders myers long ross foster
    """
)

# Given names common in the United States and Canada (the Latin American list has the rest).
ENGLISH_GIVEN_NAMES: frozenset[str] = _words(
    """
    james john robert michael william david richard joseph thomas charles christopher daniel
    matthew anthony mark donald steven paul andrew joshua kenneth kevin brian george timothy
    ronald edward jason jeffrey ryan jacob gary nicholas eric jonathan stephen larry justin
    scott brandon benjamin samuel gregory frank alexander raymond patrick jack dennis jerry
    tyler aaron henry douglas peter adam nathan zachary walter kyle harold carl jeremy keith
    roger gerald ethan arthur terry christian sean lawrence austin joe noah jesse albert bryan
    billy bruce willie jordan dylan alan ralph gabriel roy juan wayne eugene logan randy louis
    russell vincent philip bobby johnny bradley mary patricia jennifer linda elizabeth barbara
    susan jessica sarah karen lisa nancy betty margaret sandra ashley kimberly emily donna
    michelle carol amanda dorothy melissa deborah stephanie rebecca sharon laura cynthia
    kathleen amy angela shirley anna brenda pamela emma nicole helen samantha katherine
    christine debra rachel carolyn janet catherine maria heather diane ruth julie olivia joyce
    virginia victoria kelly lauren christina joan evelyn judith megan andrea cheryl hannah
    jacqueline martha gloria teresa ann sara madison frances kathryn janice jean abigail alice
    judy sophia grace denise amber doris marilyn danielle beverly isabella theresa diana
    natalie brittany charlotte marie kayla alexis lori mitch mitchell herb nury mike monica
    gilbert jose
    """
)

PARTICLES: frozenset[str] = frozenset(
    {"de", "del", "la", "las", "los", "da", "das", "do", "dos", "e", "y", "van", "von", "di", "mc"}
)

# A name-like run containing one of these (or preceded by one) names a place, a facility or a
# body: "John Jay Park", "George Washington Bridge", "ARLETA NC", "Colonia Miguel Hidalgo".
PLACE_WORDS: frozenset[str] = _words(
    """
    park parque parc playground bridge puente ponte tunnel expressway parkway highway freeway
    street st avenue ave av avenida boulevard blvd bulevar road rd drive dr lane ln place pl
    plaza praca square sq court ct terrace way calle calzada rua travessa alameda estrada
    rodovia carretera camino paseo circuito privada cerrada andador callejon pasaje
    school escuela escola colegio college university universidad universidade academy
    academia institute instituto library biblioteca hospital clinic clinica centro center
    centre station estacion estacao terminal airport aeropuerto aeroporto market mercado
    garden gardens jardin jardim field fields campo stadium estadio arena pool piscina beach
    playa praia houses homes apartments building edificio memorial monument monumento
    recreation rec triangle island isla ilha lake lago river rio hill hills cerro morro
    colonia col fraccionamiento fracc barrio bairro vila villa ciudad cidade municipio
    alcaldia delegacion localidad comuna distrito district county condado state estado
    nc council consejo conselho department departamento dept agency agencia office oficina
    secretaria secretariat ministry ministerio division unit unidad unidade authority
    foundation fundacion fundacao company compania inc llc corp church iglesia igreja
    parroquia parish cemetery cementerio panteon san santa santo sao general presidente
    doctor dr ingeniero ing licenciado lic coronel marechal duque
    """
)

PLACES_NAMED_AFTER_PEOPLE: frozenset[str] = frozenset(
    {
        "benito juarez",
        "miguel hidalgo",
        "gustavo a madero",
        "venustiano carranza",
        "alvaro obregon",
        "emiliano zapata",
        "lazaro cardenas",
        "vicente guerrero",
        "jose maria morelos",
        "ignacio zaragoza",
        "guadalupe victoria",
        "jose azueta",
        "manuel doblado",
        "ignacio allende",
        "francisco i madero",
        "felipe carrillo puerto",
        "othon p blanco",
        "sebastian lerdo de tejada",
        "antonio narino",
        "rafael uribe uribe",
        "rafael uribe",
        "simon bolivar",
        "francisco de paula santander",
        "antonio jose de sucre",
        "jose de san martin",
        "manuel belgrano",
        "bernardo ohiggins",
        "jose marti",
        "pedro de valdivia",
        "arturo prat",
        "jose artigas",
        "juan lacaze",
        "jose pedro varela",
        "getulio vargas",
        "juscelino kubitschek",
        "rui barbosa",
        "jose bonifacio",
        "floriano peixoto",
        "santos dumont",
        "carlos barbosa",
        "antonio prado",
        "teixeira de freitas",
        "george washington",
        "martin luther king",
        "john f kennedy",
        "marcus garvey",
    }
)
