/**
 * Column names of `Porteurs_CPS_CPF_*.txt` (one line per CPS/CPF card, `|`-separated, trailing `|`). The names
 * are known exactly, their order is not documented: the file is read by header name only.
 * Format notes: ../shared/reference/annuaire-formats.md §2.2.
 */
export const PORTEURS_CPS_CPF = {
  typeIdentifiant: "Type d'identifiant PP",
  identifiant: 'Identifiant PP',
  idNatPs: 'Identification nationale PP',
  nomExercice: "Nom d'exercice",
  prenomExercice: "Prénom d'exercice",
  codeProfession: 'Code profession',
  libelleProfession: 'Libellé profession',
  codeCategorie: 'Code catégorie professionnelle',
  libelleCategorie: 'Libellé catégorie professionnelle',
  codeTypeCarte: 'Code type de carte',
  libelleTypeCarte: 'Libellé type de carte',
  numeroCarte: 'Numéro carte',
  identifiantNationalCarte: 'Identifiant national contenu dans la carte',
  debutValidite: 'Date début validité',
  finValidite: 'Date fin validité',
  dateOpposition: 'Date opposition',
  dateMiseAJour: 'Date de mise à jour',
} as const;

export const PORTEURS_CPS_CPF_FILE = /^Porteurs_CPS_CPF_(\d{12})\.(txt|zip)$/;
