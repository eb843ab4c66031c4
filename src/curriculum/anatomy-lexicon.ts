// The built-in anatomy lexicon behind the default answer similarity: each structure with its synonyms, a fine
// body region (which implies a coarse one), an organ system, a kind and the structures it is directly part of
// or attached to. Covers the six SGG-VQA classes and the organs, tissues and regions OmniMedVQA options name.
// Plain data: add a row to teach the similarity a new name.

export type Kind = 'organ' | 'tissue' | 'structure' | 'vessel' | 'region' | 'system' | 'cell' | 'fluid';

export type CoarseRegion =
  | 'head'
  | 'neck'
  | 'thorax'
  | 'abdomen'
  | 'pelvis'
  | 'upper-limb'
  | 'lower-limb'
  | 'spine'
  | 'whole-body';

/** Fine region -> the coarse region it lies in. */
export const FINE_REGIONS: Record<string, CoarseRegion> = {
  brain: 'head', eye: 'head', face: 'head', skull: 'head', 'head-region': 'head',
  neck: 'neck',
  lung: 'thorax', heart: 'thorax', mediastinum: 'thorax', 'chest-wall': 'thorax', breast: 'thorax',
  ruq: 'abdomen', luq: 'abdomen', 'upper-abdomen': 'abdomen', 'mid-abdomen': 'abdomen', colon: 'abdomen',
  retroperitoneum: 'abdomen', peritoneum: 'abdomen', 'abdominal-wall': 'abdomen', 'abdomen-region': 'abdomen',
  'pelvis-female': 'pelvis', 'pelvis-male': 'pelvis', 'pelvis-region': 'pelvis', bladder: 'pelvis',
  shoulder: 'upper-limb', arm: 'upper-limb', hand: 'upper-limb',
  hip: 'lower-limb', thigh: 'lower-limb', knee: 'lower-limb', leg: 'lower-limb', foot: 'lower-limb',
  spine: 'spine',
  body: 'whole-body',
};

/** Coarse regions that touch: structures across them are somewhat confusable in an image. */
export const ADJACENT_REGIONS: [CoarseRegion, CoarseRegion][] = [
  ['head', 'neck'],
  ['neck', 'thorax'],
  ['thorax', 'abdomen'],
  ['abdomen', 'pelvis'],
  ['thorax', 'upper-limb'],
  ['pelvis', 'lower-limb'],
  ['spine', 'neck'],
  ['spine', 'thorax'],
  ['spine', 'abdomen'],
  ['spine', 'pelvis'],
];

/** Organ systems that overlap or share organs. */
export const RELATED_SYSTEMS: [string, string][] = [
  ['digestive', 'hepatobiliary'],
  ['digestive', 'peritoneal'],
  ['hepatobiliary', 'peritoneal'],
  ['peritoneal', 'body-wall'],
  ['urinary', 'reproductive-male'],
  ['reproductive-male', 'reproductive-female'],
  ['lymphatic', 'immune'],
  ['cardiovascular', 'blood'],
  ['musculoskeletal', 'body-wall'],
  ['nervous', 'sensory'],
  ['endocrine', 'reproductive-female'],
  ['endocrine', 'reproductive-male'],
];

export interface LexiconEntry {
  /** Canonical name. */
  name: string;
  /** Other names that mean the same structure (compared case-insensitively). */
  synonyms: string[];
  /** Fine region key of FINE_REGIONS. */
  region: string;
  /** Organ system. */
  system: string;
  kind: Kind;
  /** Canonical names of structures this one is part of, holds, or is attached to. */
  related: string[];
}

type Row = [name: string, synonyms: string[], region: string, system: string, kind: Kind, related?: string[]];

// prettier-ignore
const ROWS: Row[] = [
  // SGG-VQA's six classes (laparoscopic cholecystectomy).
  ['Liver', ['hepar'], 'ruq', 'hepatobiliary', 'organ', ['Gallbladder', 'Cystic Plate', 'Liver tissue']],
  ['Gallbladder', ['gall bladder'], 'ruq', 'hepatobiliary', 'organ', ['Liver', 'Cystic Plate', 'Common bile duct']],
  ['Cystic Plate', ['cystic plate', 'gallbladder bed', 'liver bed'], 'ruq', 'hepatobiliary', 'structure', ['Liver', 'Gallbladder']],
  ['Omentum', ['greater omentum', 'lesser omentum'], 'peritoneum', 'peritoneal', 'structure', ['Gut', 'Stomach', 'Abdominal Wall Cavity']],
  ['Abdominal Wall Cavity', ['abdominal wall', 'abdominal cavity', 'peritoneal cavity'], 'abdominal-wall', 'body-wall', 'region', ['Omentum']],
  ['Gut', ['bowel', 'intestine', 'intestines', 'intestinal loop'], 'mid-abdomen', 'digestive', 'organ', ['Small intestine', 'Large intestine', 'Omentum', 'Intestinal tissue']],
  // Digestive tract.
  ['Esophagus', ['oesophagus'], 'mediastinum', 'digestive', 'organ', ['Stomach']],
  ['Stomach', ['gastric'], 'luq', 'digestive', 'organ', ['Esophagus', 'Duodenum', 'Omentum']],
  ['Duodenum', [], 'upper-abdomen', 'digestive', 'organ', ['Stomach', 'Small intestine', 'Pancreas']],
  ['Small intestine', ['small bowel'], 'mid-abdomen', 'digestive', 'organ', ['Gut', 'Duodenum', 'Jejunum', 'Ileum']],
  ['Jejunum', [], 'mid-abdomen', 'digestive', 'organ', ['Small intestine']],
  ['Ileum', [], 'mid-abdomen', 'digestive', 'organ', ['Small intestine', 'Cecum']],
  ['Large intestine', ['large bowel'], 'colon', 'digestive', 'organ', ['Gut', 'Colon', 'Cecum', 'Rectum']],
  ['Colon', ['ascending colon', 'descending colon', 'transverse colon', 'sigmoid colon'], 'colon', 'digestive', 'organ', ['Large intestine', 'Rectum', 'Cecum']],
  ['Cecum', ['caecum'], 'colon', 'digestive', 'organ', ['Colon', 'Appendix', 'Ileum']],
  ['Appendix', ['vermiform appendix'], 'colon', 'digestive', 'organ', ['Cecum']],
  ['Rectum', [], 'pelvis-region', 'digestive', 'organ', ['Colon', 'Large intestine']],
  ['Pancreas', [], 'upper-abdomen', 'digestive', 'organ', ['Duodenum', 'Pancreatic duct', 'Pancreatic tissue']],
  ['Pancreatic duct', [], 'upper-abdomen', 'digestive', 'structure', ['Pancreas', 'Common bile duct']],
  ['Common bile duct', ['bile duct', 'cbd'], 'ruq', 'hepatobiliary', 'structure', ['Gallbladder', 'Liver', 'Pancreatic duct']],
  ['Spleen', [], 'luq', 'lymphatic', 'organ', ['Stomach']],
  // Tissues named by OmniMedVQA's histology and microscopy sets.
  ['Liver tissue', ['liver parenchyma', 'hepatic tissue', 'hepatic mucosa'], 'ruq', 'hepatobiliary', 'tissue', ['Liver', 'Hepatocyte']],
  ['Intestinal tissue', ['intestinal mucosa', 'normal colonic mucosa', 'colonic mucosa'], 'mid-abdomen', 'digestive', 'tissue', ['Gut', 'Small intestine', 'Large intestine']],
  ['Gastric mucosa', ['gastric tissue'], 'luq', 'digestive', 'tissue', ['Stomach']],
  ['Esophageal mucosa', ['oesophageal mucosa'], 'mediastinum', 'digestive', 'tissue', ['Esophagus']],
  ['Pancreatic tissue', [], 'upper-abdomen', 'digestive', 'tissue', ['Pancreas']],
  ['Breast tissue', ['mammary tissue'], 'breast', 'reproductive-female', 'tissue', ['Breast', 'Adipose tissue']],
  ['Lung tissue', ['pulmonary tissue', 'pulmonary mucosa', 'lung parenchyma'], 'lung', 'respiratory', 'tissue', ['Lung']],
  ['Kidney tissue', ['renal tissue', 'renal mucosa', 'renal cortex'], 'retroperitoneum', 'urinary', 'tissue', ['Kidney']],
  ['Brain tissue', ['cerebral tissue'], 'brain', 'nervous', 'tissue', ['Brain', 'Nervous tissue']],
  ['Skin tissue', ['skin mucosa'], 'body', 'integumentary', 'tissue', ['Skin', 'Epithelial tissue']],
  ['Cardiac tissue', ['cardiac muscle', 'myocardium', 'heart muscle'], 'heart', 'cardiovascular', 'tissue', ['Heart', 'Cardiomyocyte']],
  ['Muscle tissue', ['muscle', 'muscles', 'muscle fibers'], 'body', 'musculoskeletal', 'tissue', ['Skeletal muscle', 'Smooth muscle']],
  ['Skeletal muscle', ['skeletal muscle tissue', 'striated muscle'], 'body', 'musculoskeletal', 'tissue', ['Muscle tissue']],
  ['Smooth muscle', ['smooth muscle tissue'], 'body', 'digestive', 'tissue', ['Muscle tissue']],
  ['Adipose tissue', ['fat', 'fat tissue', 'fatty tissue'], 'body', 'integumentary', 'tissue', ['Adipocyte', 'Connective tissue']],
  ['Connective tissue', ['fibrous tissue'], 'body', 'musculoskeletal', 'tissue', ['Adipose tissue', 'Cartilage', 'Fibroblast']],
  ['Epithelial tissue', ['epithelium'], 'body', 'integumentary', 'tissue', ['Epithelial cells', 'Skin tissue']],
  ['Nervous tissue', ['nerve tissue', 'neural tissue'], 'body', 'nervous', 'tissue', ['Brain tissue', 'Astrocyte']],
  ['Lymphatic tissue', ['lymphoid tissue'], 'body', 'lymphatic', 'tissue', ['Lymph node', 'Lymphocyte']],
  ['Bone tissue', ['osseous tissue'], 'body', 'musculoskeletal', 'tissue', ['Bone', 'Osteocyte']],
  ['Blood tissue', [], 'body', 'blood', 'tissue', ['Blood']],
  ['Cartilage', ['cartilage tissue'], 'body', 'musculoskeletal', 'tissue', ['Joint', 'Connective tissue']],
  ['Glandular tissue', ['mucus glands'], 'body', 'endocrine', 'tissue', []],
  // Cells and fluids.
  ['Hepatocyte', [], 'ruq', 'hepatobiliary', 'cell', ['Liver tissue']],
  ['Cardiomyocyte', [], 'heart', 'cardiovascular', 'cell', ['Cardiac tissue']],
  ['Adipocyte', [], 'body', 'integumentary', 'cell', ['Adipose tissue']],
  ['Fibroblast', [], 'body', 'musculoskeletal', 'cell', ['Connective tissue']],
  ['Osteocyte', [], 'body', 'musculoskeletal', 'cell', ['Bone tissue']],
  ['Keratinocyte', [], 'body', 'integumentary', 'cell', ['Skin tissue']],
  ['Epithelial cells', ['epithelial cell'], 'body', 'integumentary', 'cell', ['Epithelial tissue']],
  ['Astrocyte', [], 'brain', 'nervous', 'cell', ['Nervous tissue']],
  ['Lymphocyte', [], 'body', 'immune', 'cell', ['Lymphatic tissue']],
  ['Neutrophil', [], 'body', 'immune', 'cell', ['Blood']],
  ['Erythrocyte', ['red blood cell'], 'body', 'blood', 'cell', ['Blood']],
  ['Platelet', ['thrombocyte'], 'body', 'blood', 'cell', ['Blood']],
  ['Blood', ['blood cells'], 'body', 'blood', 'fluid', ['Erythrocyte', 'Blood tissue']],
  ['Lymph', [], 'body', 'lymphatic', 'fluid', ['Lymph node']],
  ['Cerebrospinal fluid', ['csf'], 'brain', 'nervous', 'fluid', ['Brain']],
  ['Synovial fluid', [], 'knee', 'musculoskeletal', 'fluid', ['Joint']],
  ['Urine', [], 'bladder', 'urinary', 'fluid', ['Bladder']],
  ['Bile', [], 'ruq', 'hepatobiliary', 'fluid', ['Gallbladder']],
  ['Mucus', [], 'body', 'respiratory', 'fluid', []],
  ['Saliva', [], 'face', 'digestive', 'fluid', []],
  // Thorax.
  ['Lung', ['lungs', 'pulmonary'], 'lung', 'respiratory', 'organ', ['Trachea', 'Lung tissue', 'Pleura']],
  ['Pleura', ['pleural cavity'], 'lung', 'respiratory', 'structure', ['Lung']],
  ['Trachea', ['windpipe'], 'mediastinum', 'respiratory', 'organ', ['Lung']],
  ['Heart', ['cardiac'], 'heart', 'cardiovascular', 'organ', ['Right atrium', 'Left atrium', 'Left ventricle', 'Right ventricle', 'Aorta']],
  ['Right atrium', [], 'heart', 'cardiovascular', 'structure', ['Heart', 'Left atrium']],
  ['Left atrium', [], 'heart', 'cardiovascular', 'structure', ['Heart', 'Right atrium']],
  ['Left ventricle', ['left ventricular chamber'], 'heart', 'cardiovascular', 'structure', ['Heart', 'Right ventricle', 'Left ventricular outflow tract']],
  ['Right ventricle', [], 'heart', 'cardiovascular', 'structure', ['Heart', 'Left ventricle']],
  ['Left ventricular outflow tract', ['lvot'], 'heart', 'cardiovascular', 'structure', ['Left ventricle', 'Aorta']],
  ['Thymus', [], 'mediastinum', 'immune', 'organ', []],
  ['Breast', ['breasts', 'mammary gland'], 'breast', 'reproductive-female', 'organ', ['Breast tissue']],
  ['Chest', ['chest region', 'thorax'], 'chest-wall', 'body-wall', 'region', ['Lung', 'Heart']],
  // Vessels.
  ['Aorta', ['abdominal aorta'], 'retroperitoneum', 'cardiovascular', 'vessel', ['Aortic arch', 'Heart', 'Iliac artery', 'Renal artery']],
  ['Aortic arch', [], 'mediastinum', 'cardiovascular', 'vessel', ['Aorta']],
  ['Inferior vena cava', ['ivc'], 'retroperitoneum', 'cardiovascular', 'vessel', ['Hepatic vein', 'Right atrium']],
  ['Portal vein', [], 'ruq', 'cardiovascular', 'vessel', ['Liver']],
  ['Hepatic vein', [], 'ruq', 'cardiovascular', 'vessel', ['Liver', 'Inferior vena cava']],
  ['Hepatic artery', [], 'ruq', 'cardiovascular', 'vessel', ['Liver']],
  ['Renal artery', [], 'retroperitoneum', 'cardiovascular', 'vessel', ['Kidney', 'Aorta']],
  ['Iliac artery', [], 'pelvis-region', 'cardiovascular', 'vessel', ['Aorta', 'Femoral artery']],
  ['Femoral artery', [], 'thigh', 'cardiovascular', 'vessel', ['Femoral vein', 'Iliac artery']],
  ['Femoral vein', [], 'thigh', 'cardiovascular', 'vessel', ['Femoral artery']],
  ['Pulmonary artery', [], 'mediastinum', 'cardiovascular', 'vessel', ['Heart', 'Lung']],
  ['Carotid artery', [], 'neck', 'cardiovascular', 'vessel', ['Jugular vein']],
  ['Jugular vein', [], 'neck', 'cardiovascular', 'vessel', ['Carotid artery']],
  ['Cerebral artery', [], 'brain', 'cardiovascular', 'vessel', ['Brain']],
  // Urinary, adrenal and reproductive.
  ['Kidney', ['kidneys', 'renal'], 'retroperitoneum', 'urinary', 'organ', ['Ureter', 'Adrenal gland', 'Kidney tissue']],
  ['Ureter', [], 'retroperitoneum', 'urinary', 'structure', ['Kidney', 'Bladder']],
  ['Bladder', ['urinary bladder'], 'bladder', 'urinary', 'organ', ['Ureter', 'Urine']],
  ['Adrenal gland', ['adrenal', 'suprarenal gland'], 'retroperitoneum', 'endocrine', 'organ', ['Kidney']],
  ['Prostate', ['prostate gland'], 'pelvis-male', 'reproductive-male', 'organ', ['Bladder', 'Seminal vesicle']],
  ['Seminal vesicle', [], 'pelvis-male', 'reproductive-male', 'organ', ['Prostate']],
  ['Testis', ['testicle', 'testicles', 'testes'], 'pelvis-male', 'reproductive-male', 'organ', ['Epididymis']],
  ['Epididymis', [], 'pelvis-male', 'reproductive-male', 'structure', ['Testis']],
  ['Uterus', ['womb'], 'pelvis-female', 'reproductive-female', 'organ', ['Ovary', 'Cervix', 'Fallopian tube']],
  ['Ovary', ['ovaries'], 'pelvis-female', 'reproductive-female', 'organ', ['Uterus', 'Fallopian tube']],
  ['Fallopian tube', ['uterine tube'], 'pelvis-female', 'reproductive-female', 'structure', ['Ovary', 'Uterus']],
  ['Cervix', ['uterine cervix'], 'pelvis-female', 'reproductive-female', 'structure', ['Uterus']],
  // Endocrine and lymphatic organs of the head and neck.
  ['Thyroid', ['thyroid gland'], 'neck', 'endocrine', 'organ', ['Trachea']],
  ['Pituitary gland', ['pituitary', 'hypophysis'], 'brain', 'endocrine', 'organ', ['Brain']],
  ['Lymph node', ['lymph nodes'], 'body', 'lymphatic', 'organ', ['Lymphatic tissue']],
  ['Tonsil', ['tonsils'], 'neck', 'immune', 'organ', []],
  // Nervous system and eye.
  ['Brain', ['cerebrum', 'encephalon'], 'brain', 'nervous', 'organ', ['Cerebellum', 'Cerebral cortex', 'Brain tissue']],
  ['Cerebellum', [], 'brain', 'nervous', 'structure', ['Brain']],
  ['Cerebral cortex', ['cortex'], 'brain', 'nervous', 'structure', ['Brain']],
  ['Spinal cord', [], 'spine', 'nervous', 'organ', ['Spine']],
  ['Eye', ['eyeball', 'globe'], 'eye', 'sensory', 'organ', ['Retina', 'Cornea', 'Lens', 'Optic nerve']],
  ['Retina', ['retinal pigmented epithelium', 'retinal pigmented epithelium (rpe)', 'rpe', 'rod cells'], 'eye', 'sensory', 'structure', ['Eye', 'Macula', 'Choroid']],
  ['Macula', [], 'eye', 'sensory', 'structure', ['Retina']],
  ['Choroid', [], 'eye', 'sensory', 'structure', ['Retina', 'Sclera']],
  ['Cornea', [], 'eye', 'sensory', 'structure', ['Eye', 'Sclera', 'Iris']],
  ['Sclera', [], 'eye', 'sensory', 'structure', ['Cornea', 'Choroid']],
  ['Iris', [], 'eye', 'sensory', 'structure', ['Cornea', 'Ciliary body']],
  ['Ciliary body', [], 'eye', 'sensory', 'structure', ['Iris', 'Lens']],
  ['Lens', ['crystalline lens'], 'eye', 'sensory', 'structure', ['Eye', 'Ciliary body']],
  ['Vitreous humor', ['vitreous', 'vitreous body'], 'eye', 'sensory', 'fluid', ['Eye']],
  ['Optic nerve', [], 'eye', 'nervous', 'structure', ['Eye']],
  ['Tears', ['tear film'], 'eye', 'sensory', 'fluid', []],
  // Musculoskeletal.
  ['Bone', ['bones', 'skeleton'], 'body', 'musculoskeletal', 'structure', ['Bone tissue', 'Joint']],
  ['Joint', ['joints'], 'body', 'musculoskeletal', 'structure', ['Cartilage', 'Bone', 'Synovial fluid']],
  ['Skull', ['cranium'], 'skull', 'musculoskeletal', 'structure', ['Brain']],
  ['Spine', ['vertebral column', 'vertebra', 'vertebrae', 'cervical spine', 'lumbar spine', 'thoracic spine'], 'spine', 'musculoskeletal', 'structure', ['Spinal cord']],
  ['Rib', ['ribs'], 'chest-wall', 'musculoskeletal', 'structure', ['Chest']],
  ['Clavicle', ['collarbone'], 'shoulder', 'musculoskeletal', 'structure', ['Shoulder']],
  ['Humerus', [], 'arm', 'musculoskeletal', 'structure', ['Shoulder', 'Elbow']],
  ['Radius', [], 'arm', 'musculoskeletal', 'structure', ['Ulna', 'Wrist']],
  ['Ulna', [], 'arm', 'musculoskeletal', 'structure', ['Radius', 'Elbow']],
  ['Pelvic bone', ['ilium', 'pelvic girdle'], 'hip', 'musculoskeletal', 'structure', ['Femur', 'Hip']],
  ['Femur', ['thigh bone'], 'thigh', 'musculoskeletal', 'structure', ['Hip', 'Knee']],
  ['Patella', ['kneecap'], 'knee', 'musculoskeletal', 'structure', ['Knee']],
  ['Tibia', ['shinbone'], 'leg', 'musculoskeletal', 'structure', ['Fibula', 'Knee', 'Ankle']],
  ['Fibula', [], 'leg', 'musculoskeletal', 'structure', ['Tibia', 'Ankle']],
  ['Meniscus', ['menisci'], 'knee', 'musculoskeletal', 'structure', ['Knee']],
  ['Anterior cruciate ligament', ['acl'], 'knee', 'musculoskeletal', 'structure', ['Knee']],
  // Body regions and joints as regions (OmniMedVQA "which region" questions).
  ['Head', ['head region', 'head and neck region'], 'head-region', 'body-wall', 'region', ['Brain', 'Neck']],
  ['Neck', ['neck region'], 'neck', 'body-wall', 'region', ['Head']],
  ['Abdomen', ['abdominal region', 'belly'], 'abdomen-region', 'body-wall', 'region', ['Abdominal Wall Cavity']],
  ['Pelvis', ['pelvic region'], 'pelvis-region', 'body-wall', 'region', ['Pelvic bone', 'Hip']],
  ['Back', ['lower back region', 'shoulder and upper back region'], 'spine', 'body-wall', 'region', ['Spine']],
  ['Groin', ['inguinal region'], 'hip', 'body-wall', 'region', ['Hip']],
  ['Shoulder', ['shoulder joint'], 'shoulder', 'musculoskeletal', 'region', ['Humerus', 'Clavicle']],
  ['Elbow', ['elbow joint'], 'arm', 'musculoskeletal', 'region', ['Humerus', 'Ulna']],
  ['Arm', ['upper arm', 'upper arm region', 'forearm'], 'arm', 'musculoskeletal', 'region', ['Humerus']],
  ['Wrist', ['wrist joint', 'hand and wrist region'], 'hand', 'musculoskeletal', 'region', ['Hand', 'Radius']],
  ['Hand', ['fingers'], 'hand', 'musculoskeletal', 'region', ['Wrist']],
  ['Hip', ['hip joint', 'hip region'], 'hip', 'musculoskeletal', 'region', ['Femur', 'Pelvic bone']],
  ['Knee', ['knee joint'], 'knee', 'musculoskeletal', 'region', ['Femur', 'Tibia', 'Patella']],
  ['Leg', ['lower leg', 'leg region'], 'leg', 'musculoskeletal', 'region', ['Tibia']],
  ['Ankle', ['ankle joint'], 'foot', 'musculoskeletal', 'region', ['Foot', 'Tibia']],
  ['Foot', ['feet', 'foot and ankle region'], 'foot', 'musculoskeletal', 'region', ['Ankle']],
  ['Skin', [], 'body', 'integumentary', 'organ', ['Skin tissue']],
  // Organ systems as answers.
  ['Digestive system', ['gastrointestinal system', 'gi tract'], 'body', 'digestive', 'system', []],
  ['Respiratory system', [], 'body', 'respiratory', 'system', []],
  ['Cardiovascular system', ['circulatory system'], 'body', 'cardiovascular', 'system', []],
  ['Nervous system', [], 'body', 'nervous', 'system', []],
  ['Musculoskeletal system', [], 'body', 'musculoskeletal', 'system', []],
  ['Urinary system', ['renal system'], 'body', 'urinary', 'system', []],
  ['Reproductive system', [], 'body', 'reproductive-female', 'system', []],
  ['Endocrine system', [], 'body', 'endocrine', 'system', []],
  ['Lymphatic system', [], 'body', 'lymphatic', 'system', []],
  ['Immune system', [], 'body', 'immune', 'system', []],
  ['Integumentary system', [], 'body', 'integumentary', 'system', []],
];

export const ANATOMY_LEXICON: readonly LexiconEntry[] = ROWS.map(([name, synonyms, region, system, kind, related]) => ({
  name,
  synonyms,
  region,
  system,
  kind,
  related: related ?? [],
}));
